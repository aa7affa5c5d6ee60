// Gradients of gradients. With create_graph the backward pass is itself recorded on the tape,
// with the same operations as any forward pass, so the gradient it returns can be
// differentiated again. Prints the tape of y = x³ and of its recorded derivative, writes it
// as a Graphviz graph, then takes the second and third derivatives.
//
//   double_backward [graph.dot]      render with: dot -Tpng graph.dot -o graph.png
#include <fstream>
#include <iostream>

#include <tapegrad/tapegrad.hpp>

int main(int argc, char** argv) {
  const tg::Tensor x = tg::tensor(2.0, /*requires_grad=*/true).set_name("x");
  const tg::Tensor y = x.pow(3).set_name("y");

  // dy/dx = 3x², recorded: pow_scalar's derivative g·(3·x²) is made of tapegrad operations.
  tg::Tensor dy = tg::autograd::grad({y}, {x}, {}, {}, /*create_graph=*/true)[0];
  dy.set_name("dy/dx");
  std::cout << "y = x^3 at x = 2:  y = " << y.item() << ", dy/dx = 3x^2 = " << dy.item()
            << " (made by " << dy.grad_fn() << ")\n\n"
            << tg::Tape::current() << '\n';
  if (argc > 1) {
    std::ofstream(argv[1]) << tg::Tape::current().to_dot();
    std::cout << "graph written to " << argv[1] << "\n\n";
  }

  // Differentiating the recorded derivative: d²y/dx² = 6x, and once more, d³y/dx³ = 6.
  const tg::Tensor d2y = tg::autograd::grad({dy}, {x}, {}, {}, /*create_graph=*/true)[0];
  const tg::Tensor d3y = tg::autograd::grad({d2y}, {x})[0];
  std::cout << "d2y/dx2 = 6x = " << d2y.item() << "\nd3y/dx3 = 6  = " << d3y.item() << '\n';

  // backward(create_graph = true) leaves a grad() that has a graph of its own.
  const tg::Tensor z = tg::tensor({1.0, 2.0}, /*requires_grad=*/true);
  (z.pow(3).sum()).backward({}, {}, /*create_graph=*/true);
  const tg::Tensor g = z.grad();
  std::cout << "\nz.grad() = " << g << ", requires grad: " << std::boolalpha << g.requires_grad() << '\n';
  const tg::Tensor curvature = tg::autograd::grad({g.sum()}, {z})[0];
  std::cout << "d(sum of z.grad())/dz = 6z = " << curvature << '\n';
  return 0;
}
