// Checkpoints: a state tensor of the wrong shape is refused, for every optimizer, before
// anything changes; counts and numbers of the state are checked too.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include <tapegrad/tapegrad.hpp>

#include "optim/checkpoint_problem.hpp"

namespace {

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "tapegrad_state_" + name; }

// The options without a default (lr, Demon's T), and every optional state switched on
// (momentum buffers, AMSGrad's maximum, RMSprop's centred average, Adafactor's first moment).
tg::optim::OptionList options_for(const tg::optim::OptimizerInfo& info) {
  tg::optim::OptionList out = required_options(info);
  for (const auto& [name, value] : info.defaults) {
    if ((name == "momentum" || name == "beta1") && value == "0") out.emplace_back(name, "0.9");
    if ((name == "amsgrad" || name == "centered") && value == "false") out.emplace_back(name, "true");
  }
  return out;
}

const tg::optim::OptimizerInfo& info_of(const std::string& name) {
  static const std::vector<tg::optim::OptimizerInfo> all = tg::optim::optimizers();
  for (const auto& info : all)
    if (info.name == name) return info;
  throw std::runtime_error("no optimizer " + name);
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& info : tg::optim::optimizers()) out.push_back(info.name);
  return out;
}

void run(tg::optim::Optimizer& opt, const Problem& problem, int steps) {
  for (int i = 0; i < steps; ++i) {
    opt.step([&] {
      opt.zero_grad();
      tg::Tensor f = problem.loss();
      f.backward();
      return f;
    });
  }
}

std::string state_bytes(const tg::optim::Optimizer& opt) {
  tg::CheckpointWriter out;
  opt.save_state(out);
  return out.bytes();
}

std::string checkpoint_bytes(const tg::optim::Optimizer& opt, const Problem& problem) {
  tg::CheckpointWriter out;
  opt.save_state(out);
  tg::write_tensors(out, problem.params());
  return out.bytes();
}

// The names of the tensors ("state.0.1.exp_avg") and the text entries of a checkpoint.
struct Contents {
  std::vector<std::string> tensors;
  std::vector<std::string> keys;
};

Contents contents_of(const std::string& bytes) {
  Contents c;
  const auto members = tg::io::decode_npz(bytes, "contents");
  const std::string& meta = members.at(0).second;  // "tapegrad.txt": a format line, then key=value
  for (std::size_t pos = meta.find('\n') + 1; pos < meta.size();) {
    const std::size_t end = meta.find('\n', pos);
    const std::string line = meta.substr(pos, end - pos);
    c.keys.push_back(line.substr(0, line.find('=')));
    pos = end + 1;
  }
  for (std::size_t k = 1; k < members.size(); ++k) {
    const std::string& name = members[k].first;
    c.tensors.push_back(name.substr(0, name.size() - 4));  // without ".npy"
  }
  return c;
}

// Copies every entry of a checkpoint through CheckpointReader and CheckpointWriter, replacing
// the tensors and text entries named in `tensors` and `text` (adding those it does not hold),
// leaving out those in `drop`.
struct Edit {
  std::map<std::string, tg::Tensor> tensors;
  std::map<std::string, std::string> text;
  std::set<std::string> drop;
};

std::string rewrite(const std::string& bytes, const Edit& edit) {
  const tg::CheckpointReader in(bytes, "original");
  const Contents c = contents_of(bytes);
  tg::CheckpointWriter out;
  for (const std::string& key : c.keys) {
    if (edit.drop.count(key)) continue;
    const auto it = edit.text.find(key);
    out.set(key, it != edit.text.end() ? it->second : in.get(key));
  }
  for (const auto& [key, value] : edit.text)
    if (!in.has(key)) out.set(key, value);
  for (const std::string& name : c.tensors) {
    if (edit.drop.count(name)) continue;
    const auto it = edit.tensors.find(name);
    out.add(name, it != edit.tensors.end() ? it->second : in.tensor(name));
  }
  for (const auto& [name, tensor] : edit.tensors)
    if (!in.has_tensor(name)) out.add(name, tensor);
  return out.bytes();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  tg::io::write_file_atomic(path, bytes);
}

// Shapes that are not `shape`: (1,), which broadcasts against anything, and one with as many
// elements (which a loop over the elements would not notice).
std::vector<tg::Shape> wrong_shapes(const tg::Shape& shape) {
  std::vector<tg::Shape> out;
  if (shape != tg::Shape{1}) out.push_back(tg::Shape{1});
  const int64_t n = shape.numel();
  if (shape.size() == 2 && shape[0] != shape[1]) {
    out.push_back(tg::Shape{shape[1], shape[0]});
  } else if (shape.size() == 2) {
    out.push_back(tg::Shape{n});
  } else {
    out.push_back(tg::Shape{1, n});
  }
  return out;
}

// An optimizer of the same kind whose state and options differ from the file's: one step
// instead of two, and (where the lr is a plain option) another lr.
struct Target {
  Problem problem;
  std::unique_ptr<tg::optim::Optimizer> opt;
  explicit Target(const tg::optim::OptimizerInfo& info)
      : opt(tg::optim::make_optimizer(info.name, problem.params(), options_for(info))) {
    run(*opt, problem, 1);
    try {
      opt->set_lr(0.0123);
    } catch (const tg::ValueError&) {  // Adafactor's relative steps take no lr
    }
  }
};

// Loads `bytes` into a Target; expects a tg::FormatError and no change at all. Its message.
std::string expect_refused(const tg::optim::OptimizerInfo& info, const std::string& bytes, const std::string& path) {
  write_bytes(path, bytes);
  Target target(info);
  const std::string before = state_bytes(*target.opt);
  const std::vector<double> values_before = target.problem.values();
  std::string message;
  try {
    tg::optim::load_checkpoint(path, *target.opt, target.problem.params());
    ADD_FAILURE() << "no error";
  } catch (const tg::FormatError& e) {
    message = e.what();
  }
  EXPECT_EQ(state_bytes(*target.opt), before) << "the optimizer's state or options changed";
  EXPECT_EQ(target.problem.values(), values_before) << "the parameters changed";
  return message;
}

class StateShapes : public ::testing::TestWithParam<std::string> {};

TEST_P(StateShapes, EveryWronglyShapedStateTensorIsRefused) {
  const auto& info = info_of(GetParam());
  Problem problem;
  auto opt = tg::optim::make_optimizer(info.name, problem.params(), options_for(info));
  run(*opt, problem, 2);
  const std::string bytes = checkpoint_bytes(*opt, problem);
  const std::string path = temp_path(info.name + ".ckpt");

  // The faithful copy loads: what is refused below is refused for the shape alone.
  {
    write_bytes(path, rewrite(bytes, {}));
    Target target(info);
    tg::optim::load_checkpoint(path, *target.opt, target.problem.params());
    EXPECT_EQ(state_bytes(*target.opt), state_bytes(*opt));
  }

  const tg::CheckpointReader in(bytes, path);
  int state_tensors = 0;
  for (const std::string& name : contents_of(bytes).tensors) {
    if (name.rfind("state.", 0) != 0) continue;
    ++state_tensors;
    for (const tg::Shape& shape : wrong_shapes(in.tensor(name).shape())) {
      SCOPED_TRACE(name + " as " + shape.str());
      const std::string msg = expect_refused(info, rewrite(bytes, {{{name, tg::zeros(shape)}}, {}, {}}), path);
      EXPECT_NE(msg.find(path + ": state entry '" + name + "' has shape " + shape.str() + " in the checkpoint but "),
                std::string::npos)
          << msg;
    }
  }
  EXPECT_GT(state_tensors, 0) << "every optimizer keeps some state after two steps";
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(EveryOptimizer, StateShapes, ::testing::ValuesIn(names()),
                         [](const auto& param_info) { return param_info.param; });

// ---- the messages, and the cases that are not a plain shape -------------------------------------

struct Saved {
  const tg::optim::OptimizerInfo& info;
  std::string bytes;
};

Saved saved(const std::string& name, int steps, const tg::optim::OptionList& extra = {}) {
  const auto& info = info_of(name);
  Problem problem;
  tg::optim::OptionList options = options_for(info);
  options.insert(options.end(), extra.begin(), extra.end());
  auto opt = tg::optim::make_optimizer(name, problem.params(), options);
  run(*opt, problem, steps);
  return {info, checkpoint_bytes(*opt, problem)};
}

TEST(StateShapeMessages, NamesTheFileTheEntryAndBothShapes) {
  const Saved s = saved("adam", 2);
  const std::string path = temp_path("message.ckpt");
  const std::string msg = expect_refused(s.info, rewrite(s.bytes, {{{"state.0.0.exp_avg", tg::zeros({1})}}, {}, {}}), path);
  EXPECT_EQ(msg, path + ": state entry 'state.0.0.exp_avg' has shape (1,) in the checkpoint but (2,) is expected "
                        "for parameter 0 of group 0 (shape (2,))");
  const std::string msg2 =
      expect_refused(s.info, rewrite(s.bytes, {{{"state.0.1.exp_avg_sq", tg::zeros({3, 2})}}, {}, {}}), path);
  EXPECT_EQ(msg2, path + ": state entry 'state.0.1.exp_avg_sq' has shape (3, 2) in the checkpoint but (2, 3) is "
                         "expected for parameter 1 of group 0 (shape (2, 3))");
  std::remove(path.c_str());
}

TEST(StateShapeMessages, FactoredAndPreconditionerShapes) {
  const std::string path = temp_path("factored.ckpt");
  // Adafactor keeps a row vector (2,) and a column vector (3,) for the 2×3 matrix.
  const Saved a = saved("adafactor", 2);
  std::string msg = expect_refused(a.info, rewrite(a.bytes, {{{"state.0.1.exp_avg_sq_col", tg::zeros({2})}}, {}, {}}), path);
  EXPECT_NE(msg.find("'state.0.1.exp_avg_sq_col' has shape (2,) in the checkpoint but (3,) is expected"), std::string::npos)
      << msg;
  // Shampoo keeps a 2×2 and a 3×3 preconditioner for it: swapped, both are wrong.
  const Saved s = saved("shampoo", 2);
  const tg::CheckpointReader in(s.bytes, "shampoo");
  const Edit swapped{{{"state.0.1.preconditioners.0", in.tensor("state.0.1.preconditioners.1")},
                      {"state.0.1.preconditioners.1", in.tensor("state.0.1.preconditioners.0")}},
                     {},
                     {}};
  msg = expect_refused(s.info, rewrite(s.bytes, swapped), path);
  EXPECT_NE(msg.find("'state.0.1.preconditioners.0' has shape (3, 3) in the checkpoint but (2, 2) is expected"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());
}

TEST(StateShapeMessages, ListsMustHaveTheirLength) {
  const std::string path = temp_path("lists.ckpt");
  // One preconditioner for a matrix: the second dimension would read past the list.
  const Saved s = saved("shampoo", 2);
  std::string msg = expect_refused(
      s.info, rewrite(s.bytes, {{}, {{"state.0.1.preconditioners.count", "1"}}, {"state.0.1.preconditioners.1"}}), path);
  EXPECT_EQ(msg, path + ": state entry 'state.0.1.preconditioners.count' is 1 in the checkpoint but 2 is expected "
                        "for parameter 1 of group 0 (shape (2, 3))");
  // AggMo keeps one velocity per beta (three by default).
  const Saved a = saved("aggmo", 2);
  msg = expect_refused(a.info, rewrite(a.bytes, {{}, {{"state.0.0.velocities.count", "2"}}, {"state.0.0.velocities.2"}}),
                       path);
  EXPECT_NE(msg.find("'state.0.0.velocities.count' is 2 in the checkpoint but 3 is expected"), std::string::npos) << msg;
  std::remove(path.c_str());
}

TEST(StateShapeMessages, CountsAreNotNegativeAndNumbersAreFinite) {
  const std::string path = temp_path("numbers.ckpt");
  const Saved adam = saved("adam", 2);
  std::string msg = expect_refused(adam.info, rewrite(adam.bytes, {{}, {{"state.0.1.step", "-1"}}, {}}), path);
  EXPECT_EQ(msg, path + ": state entry 'state.0.1.step' is -1 in the checkpoint, but it is a count and cannot be negative");
  const Saved asgd = saved("asgd", 2);
  msg = expect_refused(asgd.info, rewrite(asgd.bytes, {{}, {{"state.0.0.eta", "nan"}}, {}}), path);
  EXPECT_EQ(msg, path + ": state entry 'state.0.0.eta' is nan in the checkpoint, but it must be finite");
  const Saved nadam = saved("nadam", 2);
  msg = expect_refused(nadam.info, rewrite(nadam.bytes, {{}, {{"state.0.1.mu_product", "inf"}}, {}}), path);
  EXPECT_NE(msg.find("'state.0.1.mu_product' is inf in the checkpoint, but it must be finite"), std::string::npos) << msg;
  std::remove(path.c_str());
}

// L-BFGS keeps one state, with the first parameter, over the flat vector of all 8 values.
TEST(StateShapeMessages, LbfgsHistoryAndFlatVectors) {
  const std::string path = temp_path("lbfgs.ckpt");
  const Saved s = saved("lbfgs", 2);
  const tg::CheckpointReader in(s.bytes, "lbfgs");
  const int64_t history = in.get_int("state.0.0.old_dirs.count");
  ASSERT_GE(history, 2);
  EXPECT_EQ(in.tensor("state.0.0.d").shape(), (tg::Shape{8}));
  EXPECT_EQ(in.tensor("state.0.0.ro.0").shape(), (tg::Shape{}));

  std::string msg = expect_refused(s.info, rewrite(s.bytes, {{{"state.0.0.prev_flat_grad", tg::zeros({2})}}, {}, {}}), path);
  EXPECT_EQ(msg, path + ": state entry 'state.0.0.prev_flat_grad' has shape (2,) in the checkpoint but (8,) is expected "
                        "for parameter 0 of group 0 (shape (2,))");
  // A history whose s list is shorter than its y list.
  const std::string last = std::to_string(history - 1);
  msg = expect_refused(
      s.info,
      rewrite(s.bytes, {{}, {{"state.0.0.old_stps.count", std::to_string(history - 1)}}, {"state.0.0.old_stps." + last}}),
      path);
  EXPECT_NE(msg.find("'state.0.0.old_stps.count' is " + std::to_string(history - 1) + " in the checkpoint but " +
                     std::to_string(history) + " is expected"),
            std::string::npos)
      << msg;
  // Iterations done but no last direction.
  msg = expect_refused(s.info, rewrite(s.bytes, {{}, {}, {"state.0.0.d"}}), path);
  EXPECT_NE(msg.find("'state.0.0.d' is missing from the checkpoint, but n_iter = "), std::string::npos) << msg;
  // Nothing is kept with the other parameters.
  msg = expect_refused(
      s.info, rewrite(s.bytes, {{{"state.0.1.old_dirs.0", tg::zeros({8})}}, {{"state.0.1.old_dirs.count", "1"}}, {}}),
      path);
  EXPECT_NE(msg.find("'state.0.1.old_dirs.count' is 1 in the checkpoint but 0 is expected for parameter 1 of group 0"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());
}

// ---- what still loads ------------------------------------------------------------------------------

TEST(StateShapesAccepted, StateLeftFromOtherOptionsKeepsLoading) {
  // AMSGrad switched off after two steps: max_exp_avg_sq stays, shaped like its parameter.
  Problem problem;
  tg::optim::Adam opt(problem.params(), {.lr = 0.01, .amsgrad = true});
  run(opt, problem, 2);
  opt.set_option("amsgrad", "false");
  const std::string path = temp_path("amsgrad_off.ckpt");
  tg::optim::save_checkpoint(path, opt, problem.params());
  Problem resumed;
  tg::optim::Adam again(resumed.params(), {.lr = 0.5});
  tg::optim::load_checkpoint(path, again, resumed.params());
  EXPECT_EQ(state_bytes(again), state_bytes(opt));
  EXPECT_EQ(again.state(0, 1).max_exp_avg_sq.shape(), (tg::Shape{2, 3}));

  // ... and of another shape it is refused like any other.
  const std::string bytes = checkpoint_bytes(opt, problem);
  const std::string msg =
      expect_refused(info_of("adam"), rewrite(bytes, {{{"state.0.1.max_exp_avg_sq", tg::zeros({1})}}, {}, {}}), path);
  EXPECT_NE(msg.find("'state.0.1.max_exp_avg_sq' has shape (1,) in the checkpoint but (2, 3) is expected"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());
}

TEST(StateShapesAccepted, StateNotCreatedYetIsCreatedByTheNextStep) {
  // AMSGrad switched on after two steps, saved before the third: no max_exp_avg_sq yet.
  Problem straight;
  tg::optim::Adam a(straight.params(), {.lr = 0.01});
  run(a, straight, 2);
  a.set_option("amsgrad", "true");
  const std::string path = temp_path("amsgrad_on.ckpt");
  tg::optim::save_checkpoint(path, a, straight.params());
  run(a, straight, 3);

  Problem resumed;
  tg::optim::Adam b(resumed.params(), {.lr = 0.01});
  tg::optim::load_checkpoint(path, b, resumed.params());
  EXPECT_FALSE(b.state(0, 0).max_exp_avg_sq.defined());
  run(b, resumed, 3);
  EXPECT_EQ(resumed.values(), straight.values()) << "bit-identical after resuming";

  // A checkpoint saved before any step holds no state tensors at all.
  Problem fresh;
  tg::optim::Shampoo never(fresh.params(), {.lr = 0.01});
  tg::optim::save_checkpoint(path, never, fresh.params());
  Problem other;
  tg::optim::Shampoo stepped(other.params(), {.lr = 0.01});
  run(stepped, other, 1);
  tg::optim::load_checkpoint(path, stepped, other.params());
  EXPECT_EQ(state_bytes(stepped), state_bytes(never));
  std::remove(path.c_str());
}

TEST(StateShapesAccepted, AdafactorRecreatesAMissingColumnMoment) {
  // Each factored moment is created on its own when missing, as the others' state is.
  const Saved s = saved("adafactor", 2);
  const std::string path = temp_path("adafactor_col.ckpt");
  write_bytes(path, rewrite(s.bytes, {{}, {}, {"state.0.1.exp_avg_sq_col"}}));
  Problem problem;
  tg::optim::Adafactor opt(problem.params());
  tg::optim::load_checkpoint(path, opt, problem.params());
  EXPECT_FALSE(opt.state(0, 1).exp_avg_sq_col.defined());
  run(opt, problem, 1);
  EXPECT_EQ(opt.state(0, 1).exp_avg_sq_col.shape(), (tg::Shape{3}));
  for (double v : problem.values()) EXPECT_TRUE(std::isfinite(v));
  std::remove(path.c_str());
}

}  // namespace
