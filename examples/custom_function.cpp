// Your own operation with your own derivative: softsign(x) = x / (1 + |x|), written as a
// tg::autograd::Function, checked with gradcheck; then the same operation with a wrong
// derivative, which gradcheck catches. Also a hook that watches the gradient flow.
#include <iostream>

#include <tapegrad/tapegrad.hpp>

using tg::Tensor;
using tg::autograd::AutogradContext;
using tg::autograd::variable_list;

// softsign(x) = x / (1 + |x|);  d/dx = 1 / (1 + |x|)²
struct Softsign : tg::autograd::Function<Softsign> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x / (1 + x.abs());
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_output) {
    const Tensor x = ctx->get_saved_variables()[0];
    const Tensor d = 1 + x.abs();
    return {grad_output[0] / (d * d)};
  }
};

// The same forward, with a derivative that forgot to square the denominator.
struct BadSoftsign : tg::autograd::Function<BadSoftsign> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x / (1 + x.abs());
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_output) {
    const Tensor x = ctx->get_saved_variables()[0];
    return {grad_output[0] / (1 + x.abs())};
  }
};

int main() {
  Tensor x = tg::tensor({-2.0, -0.5, 0.0, 1.0, 3.0}, /*requires_grad=*/true);
  x.set_name("x");
  const Tensor y = Softsign::apply(x);
  std::cout << "y = " << y << "\n\n" << tg::Tape::current() << '\n';

  y.sum().backward();
  std::cout << "dy/dx = " << x.grad() << "\n\n";

  const auto softsign = [](const std::vector<Tensor>& in) { return Softsign::apply(in[0]).sum(); };
  std::cout << "gradcheck(Softsign):\n" << tg::gradcheck(softsign, {x}) << '\n';

  const auto bad = [](const std::vector<Tensor>& in) { return BadSoftsign::apply(in[0]).sum(); };
  std::cout << "gradcheck(BadSoftsign):\n" << tg::gradcheck(bad, {x}) << '\n';

  // A hook sees the gradient flowing into a tensor, and may replace it.
  x.zero_grad();
  const Tensor h = Softsign::apply(x);
  h.register_hook([](const Tensor& g) { std::cout << "gradient flowing into h: " << g << '\n'; });
  (h * h).sum().backward();
  std::cout << "dsum(h²)/dx = " << x.grad() << '\n';
  return 0;
}
