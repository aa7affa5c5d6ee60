// Checks derivatives against finite differences: a correct function passes, a function whose
// tape misses a dependency fails, numerical_gradient shows the numbers behind the check, and
// gradgradcheck checks second derivatives the same way.
#include <iostream>

#include <tapegrad/tapegrad.hpp>

// A smooth function of two inputs: Σ softplus(a·b) + ‖a‖².
tg::Tensor smooth(const std::vector<tg::Tensor>& in) {
  return tg::softplus(in[0] * in[1]).sum() + in[0].square().sum();
}

// The same, except that one path is hidden from the tape: b.detach() is a constant to the
// tape, so the tape's d/db misses the softplus term.
tg::Tensor broken(const std::vector<tg::Tensor>& in) {
  return tg::softplus(in[0] * in[1].detach()).sum() + in[0].square().sum();
}

// softsign(x) = x/(1 + |x|), with a backward() that is right to first order but hides its
// dependence on x from the tape: a second derivative through it would miss a term.
struct SoftsignDetached : tg::autograd::Function<SoftsignDetached> {
  static tg::Tensor forward(tg::autograd::AutogradContext* ctx, const tg::Tensor& x) {
    ctx->save_for_backward({x});
    return x / (1.0 + x.abs());
  }
  static tg::autograd::variable_list backward(tg::autograd::AutogradContext* ctx,
                                              tg::autograd::variable_list grad_output) {
    const tg::Tensor d = (1.0 + ctx->get_saved_variables()[0].abs()).detach();
    return {grad_output[0] / (d * d)};
  }
};

int main() {
  tg::manual_seed(0);
  const tg::Tensor a = tg::randn({3}, /*requires_grad=*/true);
  const tg::Tensor b = tg::randn({3}, /*requires_grad=*/true);

  std::cout << "A correct derivative:\n" << tg::gradcheck(smooth, {a, b}) << '\n';
  std::cout << "A derivative with a missing path:\n" << tg::gradcheck(broken, {a, b}) << '\n';

  // The numbers behind the check, for f(p) = (1 - x)² + 100 (y - x²)² at (-1.2, 1):
  const tg::Tensor p = tg::tensor({-1.2, 1.0}, /*requires_grad=*/true);
  auto rosenbrock = [](const tg::Tensor& q) {
    return (1.0 - q[0]).pow(2) + 100.0 * (q[1] - q[0].pow(2)).pow(2);
  };
  rosenbrock(p).backward();
  tg::set_printoptions({.precision = 10});
  std::cout << "Rosenbrock at (-1.2, 1):\n"
            << "  tape gradient:       " << p.grad() << '\n'
            << "  numerical gradient:  " << tg::numerical_gradient(rosenbrock, p) << '\n';

  // Second derivatives: the recorded gradient against finite differences of gradients.
  tg::set_printoptions({});
  const tg::Tensor x = tg::tensor({-1.5, 0.5, 2.0}, /*requires_grad=*/true);
  auto softsign = [](const std::vector<tg::Tensor>& in) { return SoftsignDetached::apply(in[0]); };
  std::cout << "\nSoftsign with a detached backward, first derivatives:\n" << tg::gradcheck(softsign, {x})
            << "\nthe same, second derivatives:\n" << tg::gradgradcheck(softsign, {x})
            << "\nthe smooth function, second derivatives:\n" << tg::gradgradcheck(smooth, {a, b});
  return 0;
}
