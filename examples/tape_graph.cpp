// Records one step of a linear model's MSE loss, prints the tape, writes it as a Graphviz
// graph, then runs backward() and shows what the tape holds afterwards.
//
//   tape_graph [graph.dot]      render with: dot -Tpng graph.dot -o graph.png
#include <fstream>
#include <iostream>

#include <tapegrad/tapegrad.hpp>

int main(int argc, char** argv) {
  const tg::Tensor x = tg::tensor({{1.0}, {2.0}, {3.0}}).set_name("x");
  const tg::Tensor y = tg::tensor({{3.5}, {5.0}, {6.5}}).set_name("y");
  const tg::Tensor w = tg::tensor({{0.5}}, /*requires_grad=*/true).set_name("w");
  const tg::Tensor b = tg::tensor({0.0}, /*requires_grad=*/true).set_name("b");

  const tg::Tensor y_hat = (tg::matmul(x, w) + b).set_name("y_hat");
  const tg::Tensor loss = (y_hat - y).square().mean().set_name("loss");

  std::cout << "loss = " << loss << "\n\n" << tg::Tape::current() << '\n';
  if (argc > 1) {
    std::ofstream(argv[1]) << tg::Tape::current().to_dot();
    std::cout << "graph written to " << argv[1] << "\n\n";
  }

  loss.backward();
  std::cout << "after backward():\n"
            << "  dloss/dw = " << w.grad() << '\n'
            << "  dloss/db = " << b.grad() << '\n'
            << "  live nodes on the tape: " << tg::Tape::current().size() << '\n'
            << "  loss still holds its value: " << loss.item() << ", made by " << loss.grad_fn() << '\n';
  return 0;
}
