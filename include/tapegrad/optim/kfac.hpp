// K-FAC: Kronecker-factored approximate curvature for every nn::Linear of a model (Martens &
// Grosse 2015, "Optimizing Neural Networks with Kronecker-factored Approximate Curvature",
// in the form of the PyTorch implementation alecwangcq/KFAC-Pytorch, `KFACOptimizer`;
// canonical name "kfac").
//
//   options: lr = 0.001, momentum μ = 0.9, stat_decay β = 0.95, damping λ = 0.001,
//            kl_clip κ = 0.001, weight_decay = 0, TCov = 10, TInv = 100, batch_averaged = true
//   statistics, on steps t with t % TCov == 0, through hooks on every Linear (W out×in, b):
//     ā ← [a, 1]  (the layer's input, N×(in+1), a column of ones when it has a bias)
//     aa ← āᵀ(ā/N)                       (forward pre-hook, every forward with grad enabled)
//     gg ← gᵀ(g·N), g = ∂L_fisher/∂z      (backward hook, while acc_stats is set; gᵀ(g/N)
//                                          when batch_averaged is false)
//     A, G start as I at t = 0;  A ← β·A + (1−β)·aa,  G ← β·G + (1−β)·gg
//   step t:
//     every TInv steps:  A = Q_A diag(d_A) Q_Aᵀ, G = Q_G diag(d_G) Q_Gᵀ, d ← d·(d > 1e-10)
//     per layer:  V = Q_G [(Q_Gᵀ [∇W ∇b] Q_A) ⊘ (d_G d_Aᵀ + λ)] Q_Aᵀ
//     ν = min(1, √(κ / Σ lr²·V⊙∇))         (the KL clip, over all layers)
//     for every parameter:  d ← ν·V  (the gradient itself for parameters outside a Linear)
//                           if weight_decay ≠ 0 and t ≥ 20·TCov:  d ← d + weight_decay·θ
//                           buf ← μ·buf + d (buf starts at 0);  θ ← θ − lr·buf
//
// The gradients the parameters hold after step() are the ones used, d before momentum, as in
// the reference. Parameters that are not the weight or bias of a Linear are left to that
// momentum step on their plain gradient (the reference's behaviour); a model without any
// Linear is refused. Its use follows the reference's training loop:
//
//   tg::optim::KFAC opt(model, {.lr = 0.05, .TCov = 1, .TInv = 1});
//   opt.zero_grad();
//   tg::Tensor out = model(X);
//   if (opt.statistics_due()) opt.gather_statistics(out, tg::optim::sample_fisher_labels(out, gen));
//   tg::nn::functional::cross_entropy(out, y).backward();
//   opt.step();
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tapegrad/nn/linear.hpp"
#include "tapegrad/nn/module.hpp"
#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"
#include "tapegrad/random.hpp"

namespace tg::optim {

struct KFACOptions {
  TG_OPTIONS(KFACOptions);
  TG_OPTION(double, lr, check::lr) = 0.001;
  TG_OPTION(double, momentum, check::unit_interval) = 0.9;
  TG_OPTION(double, stat_decay, check::unit_interval) = 0.95;
  TG_OPTION(double, damping, check::positive) = 0.001;
  TG_OPTION(double, kl_clip, check::positive) = 0.001;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(int64_t, TCov, check::positive) = 10;  // statistics every TCov steps
  TG_OPTION(int64_t, TInv, check::positive) = 100;  // eigendecompositions every TInv steps
  TG_OPTION(bool, batch_averaged, check::any) = true;  // the Fisher loss is a mean over the batch
};

/// Per parameter: the step count and momentum buffer; the weight of each Linear also keeps
/// its layer's factors and their eigendecompositions.
struct KFACState {
  int64_t step = 0;
  Tensor momentum_buffer;
  Tensor m_aa, m_gg;  // A ((in+1)×(in+1), or in×in without a bias) and G (out×out)
  Tensor d_a, Q_a;    // A = Q_a diag(d_a) Q_aᵀ, eigenvalues ascending, tiny ones zeroed
  Tensor d_g, Q_g;
  void visit(auto& v) {
    v("step", step);
    v("momentum_buffer", momentum_buffer);
    v("m_aa", m_aa);
    v("m_gg", m_gg);
    v("d_a", d_a);
    v("Q_a", Q_a);
    v("d_g", d_g);
    v("Q_g", Q_g);
  }
};

/// Labels for the Fisher loss drawn from softmax(logits), one per row of the (N, classes)
/// logits, by inverse transform sampling with `generator` (the true, sampled Fisher). Using
/// the true labels instead gives the empirical Fisher.
Tensor sample_fisher_labels(const Tensor& logits, Generator& generator);

class KFAC : public BasicOptimizer<KFACOptions, KFACState> {
 public:
  static constexpr const char* kName = "kfac";
  static constexpr const char* kSummary =
      "K-FAC: Kronecker-factored natural gradient for every Linear of a model, KL clip (needs a model)";
  /// Preconditions every nn::Linear of `model` (found depth-first, the model itself
  /// included) and registers its hooks on them; all of model.parameters() form the one
  /// parameter group. tg::ValueError if the model holds no Linear. The model must outlive
  /// the optimizer's use; the hooks are removed when the optimizer is destroyed.
  KFAC(nn::Module& model, KFACOptions options = {});
  ~KFAC() override;

  using Optimizer::step;
  /// One K-FAC step from the gradients the parameters hold. tg::ValueError if a layer has
  /// no statistics yet (none were gathered at step 0) or no gradient.
  Tensor step(const Closure& closure) override;

  /// Steps taken so far (the reference's `steps`).
  int64_t steps() const;
  const KFACOptions& options() const { return groups_.front().options; }
  /// While set, the backward hooks record G (the reference's `acc_stats`).
  void set_acc_stats(bool on) { acc_stats_ = on; }
  bool acc_stats() const { return acc_stats_; }
  /// Whether this step gathers statistics: steps() % TCov == 0.
  bool statistics_due() const;
  /// The statistics pass of the reference's training loop, if statistics_due() (returns
  /// whether it ran): with acc_stats set, cross_entropy(output, fisher_labels).backward()
  /// keeping the graph, then zero_grad(). `output` is the model's output of this step.
  bool gather_statistics(const Tensor& output, const Tensor& fisher_labels);

  /// The KL clip of the last step: ν, and vg = Σ lr²·V⊙∇ over the layers (NaN before the
  /// first step; not kept in checkpoints).
  double nu() const { return nu_; }
  double vg_sum() const { return vg_sum_; }

  /// The preconditioned layers, in the order their factors are used, by dotted name
  /// ("" for the model itself).
  std::vector<std::string> layer_names() const;

 protected:
  void update(Tensor& param, const Tensor& grad, KFACState& state, const KFACOptions& o) override;
  /// A loaded state is checked against the layers: the factors and eigenbases only with the
  /// weight of a Linear, with its sizes, and the momentum buffer shaped like its parameter.
  void check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index, KFACState& loaded,
                          const KFACOptions& o) override;

 private:
  static constexpr std::size_t kNoBias = std::numeric_limits<std::size_t>::max();
  struct Layer {
    std::string name;
    nn::Linear* module;
    std::size_t weight, bias;  // indices into the parameter group (bias: kNoBias without one)
    std::vector<nn::RemovableHandle> hooks;
    /// The size of A: in_features, plus one for the bias.
    int64_t a_size() const { return module->in_features() + (bias == kNoBias ? 0 : 1); }
  };
  void record_input(Layer& layer, const Tensor& input);
  void record_grad_output(Layer& layer, const Tensor& grad_output);

  std::vector<Layer> layers_;
  bool acc_stats_ = false;
  double nu_ = std::numeric_limits<double>::quiet_NaN();
  double vg_sum_ = std::numeric_limits<double>::quiet_NaN();
};

// Instantiated once, in kfac.cpp.
extern template class BasicOptimizer<KFACOptions, KFACState>;

}  // namespace tg::optim
