// Shampoo: one full preconditioner per tensor dimension (Gupta, Koren & Singer 2018,
// "Shampoo: Preconditioned Stochastic Tensor Optimization", ICML, arXiv 1802.09568,
// Algorithms 1 and 2; canonical name "shampoo").
//
//   options: lr (required), eps ε = 1e-4, momentum μ = 0 (0 = off), weight_decay λ = 0
//   each step, for a parameter of order k (a vector k = 1, a matrix k = 2; a scalar counts
//   as a vector of one element):
//     g ← ∇f(θ);  if λ ≠ 0: g ← g + λθ               (L2 in the gradient)
//     Hᵢ starts at ε·I (size nᵢ × nᵢ, one per dimension i)
//     Hᵢ ← Hᵢ + g₍ᵢ₎ g₍ᵢ₎ᵀ                           (g₍ᵢ₎: g unfolded along dimension i)
//     u ← g ×₁ H₁^(−1/2k) ×₂ ... ×ₖ Hₖ^(−1/2k)
//       vector:  H ← H + g gᵀ ;        u ← H^(−1/2) g              (full-matrix AdaGrad)
//       matrix:  L ← L + G Gᵀ ; R ← R + Gᵀ G ;  u ← L^(−1/4) G R^(−1/4)
//     if μ ≠ 0:  buf ← μ·buf + u ;  u ← buf
//     θ ← θ − lr·u
//
// Matrix powers come from an eigendecomposition (LAPACK syevd): H^p = Q diag(λᵖ) Qᵀ. A vector
// of n elements keeps an n × n matrix and every step costs O(n³): this is for small
// parameters. The paper leaves η and ε free; ε = 1e-4 is the authors' TensorFlow default.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct ShampooOptions {
  TG_OPTIONS(ShampooOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, eps, check::positive) = 1e-4;
  TG_OPTION(double, momentum, check::unit_interval) = 0.0;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
};

struct ShampooState {
  int64_t step = 0;
  std::vector<Tensor> preconditioners;  // Hᵢ, one nᵢ × nᵢ matrix per dimension
  Tensor momentum_buffer;
  void visit(auto& v) {
    v("step", step);
    v("preconditioners", preconditioners);
    v("momentum_buffer", momentum_buffer);
  }
};

class Shampoo : public BasicOptimizer<ShampooOptions, ShampooState, Shampoo> {
 public:
  static constexpr const char* kName = "shampoo";
  static constexpr const char* kSummary =
      "one full preconditioner per dimension, inverse 2k-th roots (L^-1/4 G R^-1/4)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, ShampooState& state, const ShampooOptions& o) override;
};

// Instantiated once, in shampoo.cpp.
extern template class BasicOptimizer<ShampooOptions, ShampooState, Shampoo>;

}  // namespace tg::optim
