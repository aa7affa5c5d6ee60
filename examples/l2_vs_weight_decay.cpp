// L2 regularisation against decoupled weight decay, on the diabetes data (linear regression
// on 10 standardised features, the target in its own units):
//
//   Adam + L2:  loss = MSE + λ/2·‖w‖²  — the decay's gradient λw goes through Adam's moments
//               and is divided by √v̂ like the data's gradient, so a weight whose data
//               gradient is large is barely decayed;
//   AdamW:      loss = MSE, and every step shrinks w by lr·λ·w, whatever the gradients.
//
// The bias is not regularised in either (a parameter group with weight_decay 0 for AdamW).
//
//   l2_vs_weight_decay [--epochs N] [--lambda L] [--decay D]
//
// λ (--lambda) weights the L2 term; D (--decay) is AdamW's weight_decay. They are different
// knobs: the L2 term's pull competes with the data's gradient inside Adam's normalisation,
// AdamW's shrinks w by lr·D·w per step outside it.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace F = tg::nn::functional;

// The same starting weights for every run.
tg::nn::Linear seeded_model() {
  tg::manual_seed(0);
  return tg::nn::Linear(10, 1);
}

struct Run {
  explicit Run(const char* name, bool l2_in_loss = false) : name(name), l2_in_loss(l2_in_loss) {}
  const char* name;
  bool l2_in_loss;
  tg::nn::Linear model = seeded_model();
  std::unique_ptr<tg::optim::Optimizer> opt;
};

double norm_of(const tg::Tensor& t) { return tg::norm(t).item(); }

}  // namespace

int main(int argc, char** argv) {
  int epochs = 1000;
  double lambda = 0.5;
  double decay = 0.05;
  const double lr = 1.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--epochs") == 0) epochs = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--lambda") == 0) lambda = std::atof(argv[i + 1]);
    else if (std::strcmp(argv[i], "--decay") == 0) decay = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: l2_vs_weight_decay [--epochs N] [--lambda L] [--decay D]\n");
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::fprintf(stderr, "usage: l2_vs_weight_decay [--epochs N] [--lambda L] [--decay D]\n");
    return 2;
  }

  auto [train_set, test_set] = tg::data::load_dataset("diabetes");
  tg::data::StandardScaler scaler;
  const tg::Tensor X = scaler.fit_transform(train_set.X), X_test = scaler.transform(test_set.X);
  const tg::Tensor y = train_set.y.reshape({-1, 1}), y_test = test_set.y.reshape({-1, 1});

  Run none("Adam, no regularisation"), l2("Adam + L2 term", true), decoupled("AdamW (decoupled)");
  none.opt = std::make_unique<tg::optim::Adam>(none.model.parameters(), tg::optim::AdamOptions{.lr = lr});
  l2.opt = std::make_unique<tg::optim::Adam>(l2.model.parameters(), tg::optim::AdamOptions{.lr = lr});
  decoupled.opt = std::make_unique<tg::optim::AdamW>(std::vector<tg::optim::AdamW::ParamGroup>{
      {{decoupled.model.weight()}, {.lr = lr, .weight_decay = decay}},
      {{decoupled.model.bias()}, {.lr = lr, .weight_decay = 0.0}}});

  std::printf("diabetes: %lld train rows, %lld test rows; Adam lr %g; L2 lambda %g; AdamW weight_decay %g\n",
              static_cast<long long>(X.size(0)), static_cast<long long>(X_test.size(0)), lr, lambda, decay);
  std::printf("%6s | %-26s | %-26s | %-26s\n", "epoch", none.name, l2.name, decoupled.name);
  std::printf("%6s | %12s %13s | %12s %13s | %12s %13s\n", "", "|w|", "test MSE", "|w|", "test MSE", "|w|", "test MSE");
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    for (Run* r : {&none, &l2, &decoupled}) {
      r->opt->zero_grad();
      tg::Tensor loss = F::mse_loss(r->model(X), y);
      if (r->l2_in_loss) loss = loss + F::l2_penalty({r->model.weight()}, lambda);
      loss.backward();
      r->opt->step();
    }
    if (epoch == 1 || epoch % 100 == 0) {
      tg::NoGradGuard no_grad;
      std::printf("%6d", epoch);
      for (Run* r : {&none, &l2, &decoupled}) {
        std::printf(" | %12.4f %13.2f", norm_of(r->model.weight()), F::mse_loss(r->model(X_test), y_test).item());
      }
      std::printf("\n");
    }
  }

  return 0;
}
