// K-FAC as alecwangcq/KFAC-Pytorch's KFACOptimizer does it, operation for operation: the
// factor updates in place in the reference's order, the matrix products left to right, the
// KL-clip sum accumulated layer by layer, weight decay only from step 20·TCov on.
#include "tapegrad/optim/kfac.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xtensor.hpp>

#include "rule.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/nn/functional/loss.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/tape.hpp"

namespace tg::optim {

namespace {

constexpr double kEigenvalueFloor = 1e-10;  // smaller eigenvalues count as 0

using RowMajor = std::vector<double>;  // row-major

// Every Linear of the tree rooted at `module`, depth-first (the module itself first), with
// its dotted name: torch's model.modules() order.
void find_linear_layers(nn::Module& module, const std::string& name, std::vector<std::pair<std::string, nn::Linear*>>& out) {
  if (auto* linear = dynamic_cast<nn::Linear*>(&module)) out.emplace_back(name, linear);
  for (const auto& [child, sub] : module.named_children()) find_linear_layers(*sub, name.empty() ? child : name + "." + child, out);
}

std::size_t param_index(const std::vector<Tensor>& params, const Tensor& t) {
  for (std::size_t i = 0; i < params.size(); ++i)
    if (params[i].is_same(t)) return i;
  throw ValueError("kfac: a Linear's parameter is not among model.parameters()");
}

Tensor identity_factor(int64_t n) {
  std::vector<double> eye(static_cast<std::size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i) eye[static_cast<std::size_t>(i * n + i)] = 1.0;
  return tg::tensor(eye, {n, n});
}

// The reference's update_running_stat, in place and in its order:
// m ← m·(β/(1−β));  m ← m + x;  m ← m·(1−β).
void update_running_stat(const RowMajor& x, Tensor& m, double stat_decay) {
  double* v = detail::write(m);
  const double keep = stat_decay / (1 - stat_decay);
  for (std::size_t i = 0; i < x.size(); ++i) {
    v[i] = v[i] * keep;
    v[i] = v[i] + x[i];
    v[i] = v[i] * (1 - stat_decay);
  }
}

RowMajor row_major_values(const Tensor& t) { return t.to_vector(); }

// a·b for a (n×k) and b (k×m); transpose_a / transpose_b read a or b transposed.
RowMajor matrix_product(const RowMajor& a, bool transpose_a, const RowMajor& b, bool transpose_b, int64_t n, int64_t k, int64_t m) {
  RowMajor out(static_cast<std::size_t>(n * m), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < m; ++j) {
      double sum = 0.0;
      for (int64_t l = 0; l < k; ++l) {
        const double x = transpose_a ? a[l * n + i] : a[i * k + l];
        const double y = transpose_b ? b[j * k + l] : b[l * m + j];
        sum += x * y;
      }
      out[i * m + j] = sum;
    }
  return out;
}

// m = Q diag(d) Qᵀ from the upper triangle (LAPACK syevd, eigenvalues ascending, as
// torch.symeig), eigenvalues below the floor set to 0.
void eigendecompose(const Tensor& m, Tensor& d, Tensor& q) {
  const int64_t n = m.shape()[0];
  const auto size = static_cast<std::size_t>(n);
  xt::xtensor<double, 2> a({size, size});
  const double* v = detail::read(m);
  std::copy(v, v + n * n, a.begin());
  const auto [w, vectors] = xt::linalg::eigh(a, 'U');
  std::vector<double> values(size), basis(size * size);
  for (std::size_t i = 0; i < size; ++i) values[i] = w(i) * (w(i) > kEigenvalueFloor ? 1.0 : 0.0);
  for (std::size_t i = 0; i < size; ++i)
    for (std::size_t j = 0; j < size; ++j) basis[i * size + j] = vectors(i, j);
  d = tg::tensor(values, {n});
  q = tg::tensor(basis, {n, n});
}

std::string layer_label(const std::string& name) { return name.empty() ? "the model itself" : "'" + name + "'"; }

}  // namespace

Tensor sample_fisher_labels(const Tensor& logits, Generator& generator) {
  if (logits.ndim() != 2) {
    throw ShapeError("sample_fisher_labels: logits must be (N, classes), got shape " + logits.shape().str());
  }
  const int64_t rows = logits.shape()[0], classes = logits.shape()[1];
  const RowMajor p = row_major_values(tg::softmax(logits.detach(), 1));
  std::vector<double> labels(static_cast<std::size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    // the first class whose cumulative probability exceeds u (the last one if rounding leaves none)
    const double u = generator.uniform();
    double cumulative = 0.0;
    int64_t c = 0;
    for (; c < classes - 1; ++c) {
      cumulative += p[r * classes + c];
      if (u < cumulative) break;
    }
    labels[static_cast<std::size_t>(r)] = static_cast<double>(c);
  }
  return tg::tensor(labels, {rows});
}

KFAC::KFAC(nn::Module& model, KFACOptions options) : BasicOptimizer(kName, model.parameters(), options) {
  std::vector<std::pair<std::string, nn::Linear*>> found;
  find_linear_layers(model, "", found);
  if (found.empty()) {
    throw ValueError("kfac: the model has no nn::Linear layer to precondition (K-FAC needs at least one)");
  }
  const std::vector<Tensor>& params = groups_.front().params;
  layers_.reserve(found.size());
  for (const auto& [name, linear] : found) {
    const std::size_t bias = linear->bias().defined() ? param_index(params, linear->bias()) : kNoBias;
    layers_.push_back(Layer{name, linear, param_index(params, linear->weight()), bias, {}});
  }
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    nn::Linear& module = *layers_[l].module;
    layers_[l].hooks.push_back(module.register_forward_pre_hook(
        [this, l](nn::Module&, const Tensor& input) { record_input(layers_[l], input); }));
    layers_[l].hooks.push_back(module.register_full_backward_hook(
        [this, l](nn::Module&, const Tensor&, const Tensor& grad_output) { record_grad_output(layers_[l], grad_output); }));
  }
}

KFAC::~KFAC() {
  for (Layer& layer : layers_)
    for (nn::RemovableHandle& h : layer.hooks) h.remove();
}

int64_t KFAC::steps() const { return state(0, 0).step; }

bool KFAC::statistics_due() const { return steps() % options().TCov == 0; }

std::vector<std::string> KFAC::layer_names() const {
  std::vector<std::string> names;
  for (const Layer& layer : layers_) names.push_back(layer.name);
  return names;
}

bool KFAC::gather_statistics(const Tensor& output, const Tensor& fisher_labels) {
  if (!statistics_due()) return false;
  set_acc_stats(true);
  try {
    nn::functional::cross_entropy(output, fisher_labels).backward({}, /*retain_graph=*/true);
  } catch (...) {
    set_acc_stats(false);
    throw;
  }
  set_acc_stats(false);
  zero_grad();
  return true;
}

// A ← β·A + (1−β)·āᵀ(ā/N), ā the input with a column of ones for the bias.
void KFAC::record_input(Layer& layer, const Tensor& input) {
  if (!is_grad_enabled() || !statistics_due()) return;
  if (input.ndim() != 2) {
    throw ValueError("kfac: layer " + layer_label(layer.name) + " got an input of shape " + input.shape().str() +
                     "; its statistics need a batch of rows (N, in_features)");
  }
  const int64_t rows = input.shape()[0], in = input.shape()[1], cols = layer.a_size();
  const RowMajor a = row_major_values(input.detach());
  RowMajor with_ones(static_cast<std::size_t>(rows * cols), 1.0);
  for (int64_t k = 0; k < rows; ++k)
    for (int64_t i = 0; i < in; ++i) with_ones[k * cols + i] = a[k * in + i];
  // āᵀ·(ā/N), written as the reference's division (x/N, not x·(1/N))
  RowMajor scaled(with_ones.size());
  for (std::size_t i = 0; i < with_ones.size(); ++i) scaled[i] = with_ones[i] / static_cast<double>(rows);
  const RowMajor aa = matrix_product(with_ones, true, scaled, false, cols, rows, cols);
  KFACState& s = state(0, layer.weight);
  if (steps() == 0 || !s.m_aa.defined()) s.m_aa = identity_factor(cols);  // each factor starts from I
  update_running_stat(aa, s.m_aa, options().stat_decay);
}

// G ← β·G + (1−β)·gᵀ(g·N) (gᵀ(g/N) without batch averaging), g = ∂L_fisher/∂z.
void KFAC::record_grad_output(Layer& layer, const Tensor& grad_output) {
  if (!acc_stats_ || !statistics_due()) return;
  if (grad_output.ndim() != 2) {
    throw ValueError("kfac: layer " + layer_label(layer.name) + " got an output gradient of shape " +
                     grad_output.shape().str() + "; its statistics need a batch of rows (N, out_features)");
  }
  const int64_t rows = grad_output.shape()[0], out = grad_output.shape()[1];
  const RowMajor g = row_major_values(grad_output.detach());
  const auto n = static_cast<double>(rows);
  RowMajor scaled(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) scaled[i] = options().batch_averaged ? g[i] * n : g[i] / n;
  const RowMajor gg = matrix_product(g, true, scaled, false, out, rows, out);
  KFACState& s = state(0, layer.weight);
  if (steps() == 0 || !s.m_gg.defined()) s.m_gg = identity_factor(out);
  update_running_stat(gg, s.m_gg, options().stat_decay);
}

void KFAC::update(Tensor&, const Tensor&, KFACState&, const KFACOptions&) {
  throw ValueError("kfac: its step preconditions whole layers; call step()");
}

Tensor KFAC::step(const Closure& closure) {
  Tensor loss = evaluate(closure);
  ParamGroup& group = groups_.front();
  validate_options(group.options, name());
  const KFACOptions& o = group.options;
  begin_step();
  const int64_t t = steps();

  // the preconditioned gradient V of every layer, [V_W | V_b] row-major
  std::vector<RowMajor> updates;
  for (const Layer& layer : layers_) {
    KFACState& s = state(0, layer.weight);
    if (!s.m_aa.defined() || !s.m_gg.defined()) {
      throw ValueError("kfac: layer " + layer_label(layer.name) +
                       " has no statistics: gather them (forward, then gather_statistics) before the first step()");
    }
    const Tensor grad_w = group.params[layer.weight].grad();
    const Tensor grad_b = layer.bias == kNoBias ? Tensor() : group.params[layer.bias].grad();
    if (!grad_w.defined() || (layer.bias != kNoBias && !grad_b.defined())) {
      throw ValueError("kfac: layer " + layer_label(layer.name) + " has no gradient: call backward() before step()");
    }
    if (t % o.TInv == 0) {
      eigendecompose(s.m_aa, s.d_a, s.Q_a);
      eigendecompose(s.m_gg, s.d_g, s.Q_g);
    }
    const int64_t out = layer.module->out_features(), in = layer.module->in_features(), cols = layer.a_size();
    RowMajor gm(static_cast<std::size_t>(out * cols));
    const double* gw = detail::read(grad_w);
    for (int64_t r = 0; r < out; ++r) {
      for (int64_t c = 0; c < in; ++c) gm[r * cols + c] = gw[r * in + c];
      if (layer.bias != kNoBias) gm[r * cols + in] = detail::read(grad_b)[r];
    }
    const RowMajor qa = row_major_values(s.Q_a), qg = row_major_values(s.Q_g);
    const double* da = detail::read(s.d_a);
    const double* dg = detail::read(s.d_g);
    // V = Q_G [(Q_Gᵀ Gm Q_A) ⊘ (d_G d_Aᵀ + λ)] Q_Aᵀ, each product left to right
    RowMajor v = matrix_product(matrix_product(qg, true, gm, false, out, out, cols), false, qa, false, out, cols, cols);
    for (int64_t r = 0; r < out; ++r)
      for (int64_t c = 0; c < cols; ++c) v[r * cols + c] = v[r * cols + c] / (dg[r] * da[c] + o.damping);
    updates.push_back(matrix_product(matrix_product(qg, false, v, false, out, out, cols), false, qa, true, out, cols, cols));
  }

  // the KL clip: ν = min(1, √(κ / Σ lr²·V⊙∇)), the sum taken per tensor, W then b, layer by layer
  const double lr2 = o.lr * o.lr;
  double vg_sum = 0.0;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const Layer& layer = layers_[l];
    const int64_t out = layer.module->out_features(), in = layer.module->in_features(), cols = layer.a_size();
    const double* gw = detail::read(group.params[layer.weight].grad());
    double sum_w = 0.0;
    for (int64_t r = 0; r < out; ++r)
      for (int64_t c = 0; c < in; ++c) sum_w += updates[l][r * cols + c] * gw[r * in + c] * lr2;
    vg_sum += sum_w;
    if (layer.bias != kNoBias) {
      const double* gb = detail::read(group.params[layer.bias].grad());
      double sum_b = 0.0;
      for (int64_t r = 0; r < out; ++r) sum_b += updates[l][r * cols + in] * gb[r] * lr2;
      vg_sum += sum_b;
    }
  }
  // a zero gradient gives vg_sum = 0 and a zero V: nothing to clip
  const double nu = vg_sum > 0.0 ? std::min(1.0, std::sqrt(o.kl_clip / vg_sum)) : 1.0;
  nu_ = nu;
  vg_sum_ = vg_sum;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const Layer& layer = layers_[l];
    const int64_t out = layer.module->out_features(), in = layer.module->in_features(), cols = layer.a_size();
    double* gw = detail::write(group.params[layer.weight].grad());
    for (int64_t r = 0; r < out; ++r)
      for (int64_t c = 0; c < in; ++c) gw[r * in + c] = updates[l][r * cols + c] * nu;
    if (layer.bias != kNoBias) {
      double* gb = detail::write(group.params[layer.bias].grad());
      for (int64_t r = 0; r < out; ++r) gb[r] = updates[l][r * cols + in] * nu;
    }
  }

  // weight decay (from step 20·TCov on), momentum and the step, for every parameter
  const bool decay = o.weight_decay != 0.0 && t >= 20 * o.TCov;
  for (std::size_t i = 0; i < group.params.size(); ++i) {
    Tensor& p = group.params[i];
    KFACState& s = state(0, i);
    s.step = t + 1;
    const Tensor grad = p.grad();
    if (!grad.defined()) continue;
    before_update(i, p);
    const int64_t n = p.numel();
    double* x = detail::write(p);
    double* d = detail::write(grad);
    if (decay)
      for (int64_t k = 0; k < n; ++k) d[k] = d[k] + o.weight_decay * x[k];
    const double* step_direction = d;
    if (o.momentum != 0.0) {
      detail::init_zeros(s.momentum_buffer, p);
      double* buf = detail::write(s.momentum_buffer);
      for (int64_t k = 0; k < n; ++k) buf[k] = buf[k] * o.momentum + d[k];
      step_direction = buf;
    }
    for (int64_t k = 0; k < n; ++k) x[k] = x[k] - o.lr * step_direction[k];
    after_update(i, p, grad);
  }
  return loss;
}

void KFAC::check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index, KFACState& loaded,
                              const KFACOptions&) {
  const Tensor& param = groups_[group].params[index];
  const detail::StateSite site{in, group, index, param.shape()};
  const detail::StateLayout saved = detail::layout_of(loaded);
  detail::check_numbers(site, saved);
  KFACState expected;
  expected.momentum_buffer = tg::zeros(param.shape());
  for (const Layer& layer : layers_) {
    if (layer.weight != index) continue;
    const int64_t a = layer.a_size(), g = layer.module->out_features();
    expected.m_aa = expected.Q_a = tg::zeros({a, a});
    expected.d_a = tg::zeros({a});
    expected.m_gg = expected.Q_g = tg::zeros({g, g});
    expected.d_g = tg::zeros({g});
  }
  detail::check_shapes(site, saved, detail::layout_of(expected));
}

template class BasicOptimizer<KFACOptions, KFACState>;

}  // namespace tg::optim
