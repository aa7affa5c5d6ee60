// The loss functions on small numbers (docs/losses.md shows this output):
//   1. each loss's value and gradient on one batch, for the three reductions;
//   2. why the stable forms exist: −ln σ(−1000) and −ln softmax(1000, 0, −1000)[2], naive and stable;
//   3. an L2-regularised line fit, checked against its closed form, and the L2 penalty next to
//      Adam's coupled and AdamW's decoupled weight decay.
#include <cmath>
#include <cstdio>
#include <string>
#include <tapegrad/tapegrad.hpp>
#include <vector>

namespace {

namespace F = tg::nn::functional;
using R = tg::nn::Reduction;

// %g, with NaN printed as "nan" whatever its sign bit.
std::string g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::isnan(v) ? std::fabs(v) : v);
  return buf;
}

std::string list(const tg::Tensor& t) {
  std::string s = "(";
  const std::vector<double> v = t.to_vector();
  for (std::size_t i = 0; i < v.size(); ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", std::isnan(v[i]) ? std::fabs(v[i]) : v[i]);
    s += (i ? ", " : "") + std::string(buf);
  }
  return s + ")";
}

using Loss = tg::Tensor (*)(const tg::Tensor&, const tg::Tensor&, R);

// One line per reduction: the loss and its gradient with respect to the input.
void show(const char* name, Loss loss, const tg::Tensor& input, const tg::Tensor& target, const char* wrt = "x") {
  std::printf("%s\n", name);
  for (const R r : {R::none, R::mean, R::sum}) {
    const tg::Tensor x = input.detach().set_requires_grad();
    const tg::Tensor l = loss(x, target, r);
    l.sum().backward();
    std::printf("  %-5s %-34s d/d%s %s\n", F::to_string(r), (l.ndim() ? list(l) : list(l.reshape({1}))).c_str(), wrt,
                list(x.grad()).c_str());
  }
}

void section_values() {
  std::printf("== 1. Values and gradients (the gradient of none is that of the sum)\n\n");
  const tg::Tensor x = tg::tensor({0.5, -1.0, 3.0});
  const tg::Tensor y = tg::tensor({0.0, -1.5, 0.5});
  std::printf("x = %s, y = %s\n", list(x).c_str(), list(y).c_str());
  show(
      "mse_loss: (x - y)^2", [](const tg::Tensor& a, const tg::Tensor& b, R r) { return F::mse_loss(a, b, r); }, x, y);
  show(
      "l1_loss: |x - y|", [](const tg::Tensor& a, const tg::Tensor& b, R r) { return F::l1_loss(a, b, r); }, x, y);
  show(
      "huber_loss, delta = 1", [](const tg::Tensor& a, const tg::Tensor& b, R r) { return F::huber_loss(a, b, r); }, x,
      y);

  const tg::Tensor p = tg::tensor({0.9, 0.2, 0.6});
  const tg::Tensor t = tg::tensor({1.0, 0.0, 0.0});
  std::printf("\np = %s, y = %s\n", list(p).c_str(), list(t).c_str());
  show(
      "binary_cross_entropy(p, y)",
      [](const tg::Tensor& a, const tg::Tensor& b, R r) { return F::binary_cross_entropy(a, b, r); }, p, t, "p");
  const tg::Tensor logits = tg::log(p / (1.0 - p));
  std::printf("\nlogits = ln(p / (1 - p)) = %s, y = %s\n", list(logits).c_str(), list(t).c_str());
  show(
      "binary_cross_entropy_with_logits (same values; d/dx = p - y)",
      [](const tg::Tensor& a, const tg::Tensor& b, R r) { return F::binary_cross_entropy_with_logits(a, b, r); },
      logits, t);

  const tg::Tensor z = tg::tensor({{2.0, 0.5, -1.0}, {0.0, 1.0, 3.0}});
  const tg::Tensor c = tg::tensor({0.0, 1.0});
  std::printf("\nlogits = ((2, 0.5, -1), (0, 1, 3)), classes = (0, 1)\n");
  for (const R r : {R::none, R::mean}) {
    const tg::Tensor zz = z.detach().set_requires_grad();
    const tg::Tensor l = F::cross_entropy(zz, c, r);
    l.sum().backward();
    std::printf("cross_entropy %-4s %s\n  d/dlogits = softmax - onehot%s:\n  %s\n", F::to_string(r),
                list(l.ndim() ? l : l.reshape({1})).c_str(), r == R::mean ? " (/ 2)" : "", list(zz.grad()).c_str());
  }
}

void section_stability() {
  std::printf("\n== 2. Stable forms\n\n");
  std::printf("A positive sample (y = 1) with logit x = -1000; the true loss is -ln sigmoid(-1000) = 1000.\n");
  {
    const tg::Tensor x = tg::tensor({-1000.0}, true);
    const tg::Tensor l = -tg::log(tg::sigmoid(x)).sum();
    l.backward();
    std::printf("  -log(sigmoid(x))                      loss = %-6s d/dx = %s\n", g(l.item()).c_str(),
                g(x.grad().item()).c_str());
  }
  {
    const tg::Tensor x = tg::tensor({-1000.0}, true);
    const tg::Tensor l = F::binary_cross_entropy(tg::sigmoid(x), tg::tensor({1.0}));
    l.backward();
    std::printf("  binary_cross_entropy(sigmoid(x), y)   loss = %-6s d/dx = %s\n", g(l.item()).c_str(),
                g(x.grad().item()).c_str());
  }
  {
    const tg::Tensor x = tg::tensor({-1000.0}, true);
    const tg::Tensor l = F::binary_cross_entropy_with_logits(x, tg::tensor({1.0}));
    l.backward();
    std::printf("  binary_cross_entropy_with_logits(x,y) loss = %-6s d/dx = %s\n", g(l.item()).c_str(),
                g(x.grad().item()).c_str());
  }
  std::printf("A negative sample (y = 0) with logit x = 37; the true loss is -ln(1 - sigmoid(37)) = 37.\n");
  for (const bool with_logits : {false, true}) {
    const tg::Tensor x = tg::tensor({37.0}, true);
    const tg::Tensor y = tg::tensor({0.0});
    const tg::Tensor l =
        with_logits ? F::binary_cross_entropy_with_logits(x, y) : F::binary_cross_entropy(tg::sigmoid(x), y);
    l.backward();
    std::printf("  %-37s loss = %-6s d/dx = %s\n",
                with_logits ? "binary_cross_entropy_with_logits(x,y)" : "binary_cross_entropy(sigmoid(x), y)",
                g(l.item()).c_str(), g(x.grad().item()).c_str());
  }
  std::printf("Logits (1000, 0, -1000), class 2; the true loss is 2000.\n");
  {
    const tg::Tensor z = tg::tensor({{1000.0, 0.0, -1000.0}}, true);
    const tg::Tensor l = -tg::log(tg::softmax(z, 1)).select(1, 2).sum();
    l.backward();
    std::printf("  -log(softmax(z))[2]                   loss = %-6s d/dz = %s\n", g(l.item()).c_str(),
                list(z.grad()).c_str());
  }
  {
    const tg::Tensor z = tg::tensor({{1000.0, 0.0, -1000.0}}, true);
    const tg::Tensor l = F::cross_entropy(z, tg::tensor({2.0}));
    l.backward();
    std::printf("  cross_entropy(z, 2)                   loss = %-6s d/dz = %s\n", g(l.item()).c_str(),
                list(z.grad()).c_str());
  }
}

// fit_line's data: y = 1.5x + 2 + noise, 100 samples, seed 42.
void data(tg::Tensor& x, tg::Tensor& y) {
  tg::manual_seed(42);
  x = tg::uniform({100}, -5.0, 5.0);
  y = 1.5 * x + 2.0 + tg::normal({100}, 0.0, 1.5);
}

void section_l2() {
  std::printf("\n== 3. L2 penalty: loss = mse_loss(w*x + b, y) + l2_penalty({w}, lambda)\n\n");
  tg::Tensor x, y;
  data(x, y);
  // Closed form (b not penalised): w = cov(x, y) / (var(x) + lambda/2), b = mean(y) - w*mean(x).
  const double mx = tg::mean(x).item(), my = tg::mean(y).item();
  const double vx = tg::mean(tg::square(x - mx)).item(), cxy = tg::mean((x - mx) * (y - my)).item();
  std::printf("  lambda   gradient descent (lr 0.05, 500 steps)   closed form\n");
  for (const double lambda : {0.0, 1.0, 10.0}) {
    tg::Tensor w = tg::zeros({1}, true), b = tg::zeros({1}, true);
    tg::optim::SGD opt({w, b}, {.lr = 0.05});
    for (int step = 0; step < 500; ++step) {
      opt.zero_grad();
      const tg::Tensor loss = F::mse_loss(w * x + b, y) + F::l2_penalty({w}, lambda);
      loss.backward();
      opt.step();
    }
    const double w_star = cxy / (vx + lambda / 2.0);
    std::printf("  %6g   w = %.6f, b = %.6f               w = %.6f, b = %.6f\n", lambda, w.item(), b.item(), w_star,
                my - w_star * mx);
  }

  std::printf(
      "\nThe penalty's gradient lambda*w is what the optimizers' weight_decay adds (lambda = 1, w only;\n"
      "Adam and AdamW at lr 0.1 for 300 steps):\n");
  const double lambda = 1.0;
  auto run = [&](const char* name, auto make_optimizer, double penalty) {
    tg::Tensor w = tg::zeros({1}, true), b = tg::zeros({1}, true);
    auto opt = make_optimizer(w, b);
    for (int step = 0; step < 300; ++step) {
      opt.zero_grad();
      tg::Tensor loss = F::mse_loss(w * x + b, y);
      if (penalty > 0.0) loss = loss + F::l2_penalty({w}, penalty);
      loss.backward();
      opt.step();
    }
    std::printf("  %-42s w = %.6f, b = %.6f\n", name, w.item(), b.item());
  };
  using tg::optim::Adam;
  using tg::optim::AdamW;
  run(
      "Adam on mse + l2_penalty",
      [](tg::Tensor& w, tg::Tensor& b) {
        return Adam({w, b}, {.lr = 0.1});
      },
      lambda);
  run(
      "Adam(weight_decay = 1) on mse (coupled)",
      [&](tg::Tensor& w, tg::Tensor& b) {
        return Adam({{{w}, {.lr = 0.1, .weight_decay = lambda}}, {{b}, {.lr = 0.1}}});
      },
      0.0);
  run(
      "AdamW(weight_decay = 1) on mse (decoupled)",
      [&](tg::Tensor& w, tg::Tensor& b) {
        return AdamW({{{w}, {.lr = 0.1, .weight_decay = lambda}}, {{b}, {.lr = 0.1, .weight_decay = 0.0}}});
      },
      0.0);
}

}  // namespace

int main() {
  section_values();
  section_stability();
  section_l2();
  return 0;
}
