// K-FAC against KFAC-Pytorch's KFACOptimizer (reference/oracle_ext/kfac/): every given
// trajectory at |a − b| ≤ 1e-12 + 1e-9·|b|, the factors after step 0, the KL clip and the
// preconditioned gradients of the first steps; the identity start of the factors; what it does
// with layers it cannot precondition; checkpoints; bad options.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"
#include "optim/kfac_reference.hpp"

namespace {

namespace F = tg::nn::functional;
using kfac_reference::Entry;

tg::nn::Sequential iris_mlp() { return tg::nn::Sequential(tg::nn::Linear(4, 8), tg::nn::Tanh(), tg::nn::Linear(8, 3)); }

void load_flat(const std::vector<tg::Tensor>& params, const std::vector<double>& flat) {
  tg::NoGradGuard no_grad;
  std::size_t at = 0;
  for (const tg::Tensor& p : params) {
    const auto n = static_cast<std::size_t>(p.numel());
    tg::Tensor(p).copy_(tg::tensor(std::vector<double>(flat.begin() + at, flat.begin() + at + n), p.shape()));
    at += n;
  }
}

std::vector<double> flat(const std::vector<tg::Tensor>& tensors) {
  std::vector<double> out;
  for (const tg::Tensor& t : tensors) {
    const std::vector<double> v = t.to_vector();
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

std::vector<tg::Tensor> grads(const std::vector<tg::Tensor>& params) {
  std::vector<tg::Tensor> out;
  for (const tg::Tensor& p : params) out.push_back(p.grad());
  return out;
}

// What a run of an entry records at each step.
struct Recorded {
  std::vector<std::vector<double>> params;  // 51 rows
  std::vector<double> loss;
  std::vector<double> nu, vg_sum;
  std::vector<std::vector<double>> update_grad;  // after each step
  std::vector<std::vector<double>> factors;      // after step 0's statistics: m_aa, m_gg per layer
};

// The reference's training loop (main.py's train()), full batch, with the entry's Fisher
// labels: the true ones, or the recorded samples replayed. With `checkpoint`, the run saves
// its state there before step `save_at`; or, with first > 0, a fresh model (all weights 0.25)
// and an optimizer with default options resume from it at step `first`.
Recorded replay(const Entry& e, int64_t steps = 50, const std::string& checkpoint = "", int64_t save_at = -1,
        int64_t first = 0) {
  const kfac_reference::Reference& ref = kfac_reference::reference();
  const tg::Tensor X = tg::tensor(ref.X, {30, 4});
  const tg::Tensor y = tg::tensor(ref.y, {30});
  tg::nn::Sequential model = iris_mlp();
  load_flat(model.parameters(), first > 0 ? std::vector<double>(67, 0.25) : e.start);
  tg::optim::KFAC opt(model, first > 0 ? tg::optim::KFACOptions() : kfac_reference::options_of(e));
  if (first > 0) tg::optim::load_checkpoint(checkpoint, opt, model.parameters());
  Recorded r;
  for (int64_t k = first; k < steps; ++k) {
    if (k == save_at) tg::optim::save_checkpoint(checkpoint, opt, model.parameters());
    r.params.push_back(flat(model.parameters()));
    opt.zero_grad();
    const tg::Tensor out = model(X);
    const tg::Tensor loss = F::cross_entropy(out, y);
    r.loss.push_back(loss.item());
    if (opt.statistics_due()) {
      const tg::Tensor labels = e.fisher == "empirical" ? y : tg::tensor(e.fisher_labels.at(k), {30});
      EXPECT_TRUE(opt.gather_statistics(out, labels));
    }
    if (k == 0) {
      for (std::size_t l = 0; l < 2; ++l) {
        const tg::optim::KFACState& s = opt.state(0, 2 * l);  // the weights: parameters 0 and 2
        r.factors.push_back(s.m_aa.to_vector());
        r.factors.push_back(s.m_gg.to_vector());
      }
    }
    loss.backward();
    opt.step();
    r.nu.push_back(opt.nu());
    r.vg_sum.push_back(opt.vg_sum());
    r.update_grad.push_back(flat(grads(model.parameters())));
  }
  r.params.push_back(flat(model.parameters()));
  tg::NoGradGuard no_grad;
  r.loss.push_back(F::cross_entropy(model(X), y).item());
  return r;
}

std::vector<std::vector<double>> column(const std::vector<double>& v) {
  std::vector<std::vector<double>> out;
  for (double x : v) out.push_back({x});
  return out;
}

TEST(KFAC, ReferenceHoldsEveryGivenEntry) {
  const kfac_reference::Reference& ref = kfac_reference::reference();
  ASSERT_EQ(ref.entries.size(), 8u);  // init0: 2 strict, 6 relaxed
  int strict = 0;
  for (const Entry& e : ref.entries) strict += e.set == "strict";
  EXPECT_EQ(strict, 2);
  EXPECT_EQ(ref.X.size(), 120u);
  EXPECT_EQ(ref.y.size(), 30u);
}

TEST(KFAC, TrajectoriesMatchTheReference) {
  for (const Entry& e : kfac_reference::reference().entries) {
    const Recorded r = replay(e);
    EXPECT_EQ(kfac_reference::compare(r.params, e.params, "params"), "") << e.key;
    EXPECT_EQ(kfac_reference::compare(column(r.loss), column(e.loss), "loss"), "") << e.key;
  }
}

TEST(KFAC, FactorsKLClipAndUpdatesOfTheFirstSteps) {
  for (const Entry& e : kfac_reference::reference().entries) {
    const Recorded r = replay(e, 5);
    EXPECT_EQ(kfac_reference::compare(r.factors, e.factors, "factors after step 0"), "") << e.key;
    EXPECT_EQ(kfac_reference::compare(r.update_grad, e.update_grad, "update_grad"), "") << e.key;
    EXPECT_EQ(kfac_reference::compare(column(r.nu), column({e.nu.begin(), e.nu.begin() + 5}), "nu"), "") << e.key;
    EXPECT_EQ(kfac_reference::compare(column(r.vg_sum), column({e.vg_sum.begin(), e.vg_sum.begin() + 5}), "vg_sum"), "")
        << e.key;
  }
}

// āᵀ(ā/N) rounds its two triangles differently, so the factors are not exactly symmetric
// (hence the upper triangle for the eigensolver, as torch.symeig); and softmax cross-entropy
// gradients sum to zero over the classes, so the output layer's G keeps only the identity's
// share, β·I, along (1, 1, 1).
TEST(KFAC, FactorsAfterStepZero) {
  const Entry& e = kfac_reference::reference().entries.front();
  const Recorded r = replay(e, 1);
  const std::vector<double>& a = r.factors[0];  // 5×5
  int asymmetric = 0;
  for (int i = 0; i < 5; ++i)
    for (int j = i + 1; j < 5; ++j) asymmetric += a[i * 5 + j] != a[j * 5 + i];
  EXPECT_GT(asymmetric, 0);
  EXPECT_EQ(kfac_reference::compare({a}, {e.factors[0]}, "m_aa"), "");
  const std::vector<double>& g = r.factors[3];  // 3×3
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(g[i * 3] + g[i * 3 + 1] + g[i * 3 + 2], 0.95, 1e-15) << i;
}

// At step 0 each factor starts from I: A = β·I + (1−β)·āᵀ(ā/N), exactly as the reference's
// in-place update rounds it.
TEST(KFAC, FactorsStartFromTheIdentity) {
  tg::nn::Linear layer(2, 1);
  tg::optim::KFAC opt(layer, {.stat_decay = 0.5});
  const tg::Tensor x = tg::tensor({{1.0, 2.0}, {3.0, -1.0}});
  opt.gather_statistics(layer(x), tg::zeros({2}));  // one output: G from a one-class loss is 0
  const tg::optim::KFACState& s = opt.state(0, 0);
  // āᵀ(ā/2) with ā = [[1, 2, 1], [3, -1, 1]] is [[5, -0.5, 2], [-0.5, 2.5, 0.5], [2, 0.5, 1]]
  const std::vector<double> want = {3.0, -0.25, 1.0, -0.25, 1.75, 0.25, 1.0, 0.25, 1.0};
  EXPECT_EQ(s.m_aa.to_vector(), want);
  EXPECT_EQ(s.m_gg.to_vector(), std::vector<double>{0.5});  // β·1 + (1−β)·0
}

// With ν = 1 and no momentum, the gradient after step() is V = (A ⊗ G + λI)⁻¹ [∇W ∇b]: the
// eigenbasis of A ⊗ G is Q_A ⊗ Q_G with eigenvalues d_A·d_G, so V solves G·V·A + λ·V = [∇W ∇b]
// (A read from its upper triangle, as the eigensolver reads it). With and without a bias.
TEST(KFAC, NaturalGradientSolvesTheDampedKroneckerSystem) {
  for (bool bias : {false, true}) {
    tg::manual_seed(3);
    tg::nn::Linear layer(3, 2, bias);
    const tg::Tensor X = tg::normal({5, 3}, 0.0, 1.0);
    const tg::Tensor y = tg::tensor({0.0, 1.0, 1.0, 0.0, 1.0});
    const double damping = 0.05;
    tg::optim::KFAC opt(layer, {.lr = 0.1, .momentum = 0, .damping = damping, .kl_clip = 1e6, .TCov = 1, .TInv = 1});
    const tg::Tensor out = layer(X);
    opt.gather_statistics(out, y);
    F::cross_entropy(out, y).backward();
    const int64_t cols = bias ? 4 : 3;
    std::vector<double> grad(static_cast<std::size_t>(2 * cols));
    for (int64_t r = 0; r < 2; ++r) {
      for (int64_t c = 0; c < 3; ++c) grad[r * cols + c] = layer.weight().grad().at({r, c});
      if (bias) grad[r * cols + 3] = layer.bias().grad().at({r});
    }
    opt.step();
    EXPECT_EQ(opt.nu(), 1.0);
    std::vector<double> v(grad.size());
    for (int64_t r = 0; r < 2; ++r) {
      for (int64_t c = 0; c < 3; ++c) v[r * cols + c] = layer.weight().grad().at({r, c});
      if (bias) v[r * cols + 3] = layer.bias().grad().at({r});
    }
    const std::vector<double> A = opt.state(0, 0).m_aa.to_vector(), G = opt.state(0, 0).m_gg.to_vector();
    auto a = [&](int64_t i, int64_t j) { return A[std::min(i, j) * cols + std::max(i, j)]; };
    auto g = [&](int64_t i, int64_t j) { return G[std::min(i, j) * 2 + std::max(i, j)]; };
    for (int64_t r = 0; r < 2; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        double gva = damping * v[r * cols + c];
        for (int64_t k = 0; k < 2; ++k)
          for (int64_t l = 0; l < cols; ++l) gva += g(r, k) * v[k * cols + l] * a(l, c);
        EXPECT_NEAR(gva, grad[r * cols + c], 1e-14) << "bias " << bias << " at " << r << "," << c;
      }
  }
}

// Without acc_stats the backward hooks record nothing, and statistics are gathered only every
// TCov steps.
TEST(KFAC, StatisticsOnlyWhenDueAndAsked) {
  const Entry& e = kfac_reference::reference().entries.front();
  const kfac_reference::Reference& ref = kfac_reference::reference();
  tg::nn::Sequential model = iris_mlp();
  load_flat(model.parameters(), e.start);
  tg::optim::KFAC opt(model, {.TCov = 2});
  const tg::Tensor X = tg::tensor(ref.X, {30, 4}), y = tg::tensor(ref.y, {30});
  F::cross_entropy(model(X), y).backward();  // acc_stats off: A recorded, G not
  EXPECT_TRUE(opt.state(0, 0).m_aa.defined());
  EXPECT_FALSE(opt.state(0, 0).m_gg.defined());
  EXPECT_EQ(message_of<tg::ValueError>([&] { opt.step(); }),
            "kfac: layer '0' has no statistics: gather them (forward, then gather_statistics) before the first step()");
  opt.zero_grad();
  const tg::Tensor out = model(X);
  EXPECT_TRUE(opt.gather_statistics(out, y));
  EXPECT_FALSE(opt.acc_stats());
  F::cross_entropy(out, y).backward();
  opt.step();
  EXPECT_EQ(opt.steps(), 1);
  EXPECT_FALSE(opt.statistics_due());
  const std::vector<double> before = opt.state(0, 0).m_aa.to_vector();
  opt.zero_grad();
  const tg::Tensor out1 = model(X);
  EXPECT_FALSE(opt.gather_statistics(out1, y));
  EXPECT_EQ(opt.state(0, 0).m_aa.to_vector(), before);
}

// Parameters outside a Linear are left to the momentum step on their plain gradient, as in
// the reference; a model without any Linear is refused.
class Scale : public tg::nn::Module {
 public:
  Scale() { scale_ = register_parameter("scale", tg::tensor({2.0})); }
  tg::Tensor forward(const tg::Tensor& x) override { return x * scale_; }

 private:
  tg::Tensor scale_;
};

TEST(KFAC, OtherLayersTakeThePlainMomentumStep) {
  EXPECT_EQ(message_of<tg::ValueError>([] {
              Scale only;
              tg::optim::KFAC opt(only);
            }),
            "kfac: the model has no nn::Linear layer to precondition (K-FAC needs at least one)");
  tg::nn::Sequential model(tg::nn::Linear(2, 2), Scale());
  tg::optim::KFAC opt(model, {.lr = 0.1, .momentum = 0.5, .TCov = 1, .TInv = 1});
  EXPECT_EQ(opt.layer_names(), std::vector<std::string>{"0"});
  const tg::Tensor x = tg::tensor({{1.0, 2.0}, {3.0, -1.0}, {0.5, 0.5}});
  const tg::Tensor y = tg::tensor({0.0, 1.0, 1.0});
  for (int k = 0; k < 2; ++k) {
    opt.zero_grad();
    const tg::Tensor out = model(x);
    opt.gather_statistics(out, y);
    F::cross_entropy(out, y).backward();
    const tg::Tensor scale = model.parameters()[2];
    const double before = scale.item(), g = scale.grad().item();
    const double buf = k == 0 ? 0.0 : opt.state(0, 2).momentum_buffer.item();
    opt.step();
    EXPECT_EQ(scale.item(), before - 0.1 * (buf * 0.5 + g)) << k;
    EXPECT_EQ(scale.grad().item(), g) << k;  // not preconditioned, not clipped
  }
}

TEST(KFAC, InputsThatAreNotABatchOfRows) {
  tg::nn::Linear layer(2, 1);
  tg::optim::KFAC opt(layer);
  EXPECT_EQ(message_of<tg::ValueError>([&] { layer(tg::zeros({2, 3, 2})); }),
            "kfac: layer the model itself got an input of shape (2, 3, 2); its statistics need a batch of rows "
            "(N, in_features)");
}

TEST(KFAC, CheckpointMidRunGivesTheIdenticalContinuation) {
  // TCov 2, TInv 5: the checkpoint at step 7 falls between eigendecompositions, so the saved
  // eigenbases are the ones the next steps use.
  const Entry* entry = nullptr;
  for (const Entry& e : kfac_reference::reference().entries)
    if (e.fisher == "sampled" && e.key.find("TInv=5") != std::string::npos) entry = &e;
  ASSERT_NE(entry, nullptr);
  const std::string path = (std::filesystem::temp_directory_path() / "tapegrad_kfac_checkpoint.npz").string();
  const Recorded whole = replay(*entry, 20, path, 7);
  const Recorded resumed = replay(*entry, 20, path, -1, 7);
  EXPECT_EQ(resumed.params, std::vector<std::vector<double>>(whole.params.begin() + 7, whole.params.end()));
  EXPECT_EQ(resumed.loss, std::vector<double>(whole.loss.begin() + 7, whole.loss.end()));
  std::filesystem::remove(path);
}

TEST(KFAC, CheckpointOfAnotherModelIsRefused) {
  const std::string path = (std::filesystem::temp_directory_path() / "tapegrad_kfac_other.npz").string();
  replay(kfac_reference::reference().entries.front(), 2, path, 1);
  tg::nn::Sequential wider(tg::nn::Linear(5, 8), tg::nn::Tanh(), tg::nn::Linear(8, 3));
  tg::optim::KFAC opt(wider);
  const std::string message = message_of<tg::FormatError>([&] {
    tg::optim::load_checkpoint(path, opt, wider.parameters());
  });
  EXPECT_NE(message.find("shape"), std::string::npos) << message;
  std::filesystem::remove(path);
}

TEST(KFAC, BadOptions) {
  tg::nn::Linear layer(2, 1);
  using O = tg::optim::KFACOptions;
  EXPECT_EQ(message_of<tg::ValueError>([&] { tg::optim::KFAC(layer, O{.TCov = 0}); }),
            "kfac: invalid TCov = 0 (expected an integer >= 1)");
  EXPECT_EQ(message_of<tg::ValueError>([&] { tg::optim::KFAC(layer, O{.TInv = -3}); }),
            "kfac: invalid TInv = -3 (expected an integer >= 1)");
  EXPECT_NE(message_of<tg::ValueError>([&] { tg::optim::KFAC(layer, O{.damping = -0.1}); }).find("damping"),
            std::string::npos);
  EXPECT_NE(message_of<tg::ValueError>([&] { tg::optim::KFAC(layer, O{.kl_clip = 0}); }).find("kl_clip"),
            std::string::npos);
  EXPECT_NE(message_of<tg::ValueError>([&] { tg::optim::KFAC(layer, O{.stat_decay = 1}); }).find("stat_decay"),
            std::string::npos);
  EXPECT_NE(message_of<tg::ValueError>([&] { tg::optim::KFAC(layer, O{.lr = -1}); }).find("lr"), std::string::npos);
  tg::optim::KFAC opt(layer);
  EXPECT_THROW(opt.set_option("TCov", "0"), tg::ValueError);
  EXPECT_EQ(opt.option("TCov"), "10");
  EXPECT_EQ(message_of<tg::ValueError>([&] { tg::optim::make_optimizer("kfac", layer.parameters()); }),
            "optimizer 'kfac' needs a model: it preconditions the model's Linear layers, so it is built as "
            "tg::optim::KFAC(model, options) and cannot run on a parameter list or a test function");
}

TEST(KFAC, DefaultsAreTheReferenceClassDefaults) {
  const tg::optim::KFACOptions o;
  EXPECT_EQ(o.lr, 0.001);
  EXPECT_EQ(o.momentum, 0.9);
  EXPECT_EQ(o.stat_decay, 0.95);
  EXPECT_EQ(o.damping, 0.001);
  EXPECT_EQ(o.kl_clip, 0.001);
  EXPECT_EQ(o.weight_decay, 0.0);
  EXPECT_EQ(o.TCov, 10);
  EXPECT_EQ(o.TInv, 100);
  EXPECT_TRUE(o.batch_averaged);
}

// Sampled labels follow softmax(logits): a near-certain class is always drawn, and an even
// split over two classes lands near one half.
TEST(KFAC, SampledFisherLabels) {
  tg::Generator gen(7);
  const tg::Tensor sure = tg::tensor({{0.0, 40.0, 0.0}, {40.0, 0.0, 0.0}});
  EXPECT_EQ(tg::optim::sample_fisher_labels(sure, gen).to_vector(), (std::vector<double>{1.0, 0.0}));
  const tg::Tensor even = tg::zeros({2000, 2});
  const std::vector<double> labels = tg::optim::sample_fisher_labels(even, gen).to_vector();
  double ones = 0;
  for (double l : labels) ones += l;
  EXPECT_NEAR(ones / 2000, 0.5, 0.04);
  EXPECT_THROW(tg::optim::sample_fisher_labels(tg::zeros({3}), gen), tg::ShapeError);
}

}  // namespace
