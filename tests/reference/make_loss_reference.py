"""Generates loss_reference.inc: values and gradients of every loss function and reduction of
tapegrad/nn/functional/loss.hpp on fixed inputs, computed by PyTorch in float64. Run with
Debian's python3-torch:

    /usr/bin/python3 tests/reference/make_loss_reference.py > tests/reference/loss_reference.inc

Same format as op_reference.inc (see make_op_reference.py): for each case the inputs, the
loss, a fixed weight W of the loss's shape, and the gradient of sum(W * loss) with respect
to every input that requires grad. `smooth` marks the cases where gradcheck applies.
The test suite reads only the generated file; Python is not needed to run it.
"""
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.RandomState(2024)
F = torch.nn.functional


def r(*shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape)


def labels(n, classes):
    return rng.randint(0, classes, size=n).astype(np.float64)


CASES = []


def case(name, inputs, torch_fn, cpp, smooth=True, nograd=()):
    CASES.append(dict(name=name, inputs=[np.asarray(a, dtype=np.float64) for a in inputs],
                      fn=torch_fn, cpp=cpp, smooth=smooth, nograd=set(nograd)))


REDUCTIONS = ["none", "mean", "sum"]

# ---- regression losses -----------------------------------------------------------------------
for red in REDUCTIONS:
    R = f"R::{red}"
    case(f"mse_loss {red}", [r(4, 3), r(4, 3)], lambda x, y, red=red: F.mse_loss(x, y, reduction=red),
         f"F::mse_loss(x[0], x[1], {R})")
    case(f"mse_loss 1-d {red}", [r(5), r(5)], lambda x, y, red=red: F.mse_loss(x, y, reduction=red),
         f"F::mse_loss(x[0], x[1], {R})")
    case(f"l1_loss {red}", [r(4, 3), r(4, 3)], lambda x, y, red=red: F.l1_loss(x, y, reduction=red),
         f"F::l1_loss(x[0], x[1], {R})")
    case(f"l1_loss at x = y {red}", [[0.5, -1.0, 2.0], [0.5, 1.0, 2.0]],
         lambda x, y, red=red: F.l1_loss(x, y, reduction=red), f"F::l1_loss(x[0], x[1], {R})", smooth=False)
    case(f"huber_loss {red}", [r(4, 3), r(4, 3)], lambda x, y, red=red: F.huber_loss(x, y, reduction=red),
         f"F::huber_loss(x[0], x[1], {R})")
    case(f"huber_loss delta 0.5 {red}", [r(4, 3), r(4, 3)],
         lambda x, y, red=red: F.huber_loss(x, y, reduction=red, delta=0.5),
         f"F::huber_loss(x[0], x[1], {R}, 0.5)")
    case(f"huber_loss at 0 and delta {red}", [[0.0, 1.5, -0.5, 2.0, 0.3], [0.0, 1.0, 0.0, 0.0, 0.0]],
         lambda x, y, red=red: F.huber_loss(x, y, reduction=red, delta=0.5),
         f"F::huber_loss(x[0], x[1], {R}, 0.5)", smooth=False)
case("mse_loss 0-d", [1.5, -0.25], F.mse_loss, "F::mse_loss(x[0], x[1])")
case("l1_loss default", [r(2, 3), r(2, 3)], F.l1_loss, "F::l1_loss(x[0], x[1])")
case("huber_loss delta 3", [r(2, 3), r(2, 3)], lambda x, y: F.huber_loss(x, y, delta=3.0),
     "F::huber_loss(x[0], x[1], R::mean, 3.0)")

# ---- binary losses ---------------------------------------------------------------------------
hard = rng.randint(0, 2, size=(4, 3)).astype(np.float64)
for red in REDUCTIONS:
    R = f"R::{red}"
    case(f"binary_cross_entropy {red}", [r(4, 3, lo=0.05, hi=0.95), r(4, 3, lo=0.0, hi=1.0)],
         lambda p, y, red=red: F.binary_cross_entropy(p, y, reduction=red),
         f"F::binary_cross_entropy(x[0], x[1], {R})")
    case(f"binary_cross_entropy hard labels {red}", [r(4, 3, lo=0.05, hi=0.95), hard],
         lambda p, y, red=red: F.binary_cross_entropy(p, y, reduction=red),
         f"F::binary_cross_entropy(x[0], x[1], {R})", nograd=[1])
    # log 0 is clamped at -100; the gradient is PyTorch's (p - y)/max(p(1 - p), 1e-12): ±1e12
    # for a wrong certain answer, 0 for a right one; the target's, -logit(p), is ±inf there.
    case(f"binary_cross_entropy at 0 and 1 {red}",
         [[0.0, 1.0, 0.0, 1.0, 1e-50, 0.5], [1.0, 0.0, 0.0, 1.0, 1.0, 0.25]],
         lambda p, y, red=red: F.binary_cross_entropy(p, y, reduction=red),
         f"F::binary_cross_entropy(x[0], x[1], {R})", smooth=False)
    case(f"binary_cross_entropy_with_logits {red}", [r(4, 3, lo=-4, hi=4), r(4, 3, lo=0.0, hi=1.0)],
         lambda x, y, red=red: F.binary_cross_entropy_with_logits(x, y, reduction=red),
         f"F::binary_cross_entropy_with_logits(x[0], x[1], {R})")
    case(f"binary_cross_entropy_with_logits hard labels {red}", [r(4, 3, lo=-4, hi=4), hard],
         lambda x, y, red=red: F.binary_cross_entropy_with_logits(x, y, reduction=red),
         f"F::binary_cross_entropy_with_logits(x[0], x[1], {R})", nograd=[1])
    # Stability: logits far beyond where σ rounds to 0 or 1.
    case(f"binary_cross_entropy_with_logits at +-1000 {red}",
         [[1000.0, -1000.0, 1000.0, -1000.0, 1000.0, -1000.0, 0.0, -30.0, 30.0, 45.0, -45.0],
          [0.0, 1.0, 1.0, 0.0, 0.3, 0.3, 0.3, 0.0, 1.0, 0.5, 0.5]],
         lambda x, y, red=red: F.binary_cross_entropy_with_logits(x, y, reduction=red),
         f"F::binary_cross_entropy_with_logits(x[0], x[1], {R})", smooth=False)
case("binary_cross_entropy 0-d", [0.7, 1.0], F.binary_cross_entropy, "F::binary_cross_entropy(x[0], x[1])",
     nograd=[1])

# ---- classification losses -------------------------------------------------------------------
for red in REDUCTIONS:
    R = f"R::{red}"
    case(f"cross_entropy {red}", [r(5, 4, lo=-3, hi=3), labels(5, 4)],
         lambda z, y, red=red: F.cross_entropy(z, y.long(), reduction=red),
         f"F::cross_entropy(x[0], x[1], {R})", nograd=[1])
    case(f"cross_entropy unbatched {red}", [r(4, lo=-3, hi=3), 2.0],
         lambda z, y, red=red: F.cross_entropy(z, y.long(), reduction=red),
         f"F::cross_entropy(x[0], x[1], {R})", nograd=[1])
    case(f"cross_entropy (N, C, d) {red}", [r(2, 3, 4, lo=-3, hi=3), labels(8, 3).reshape(2, 4)],
         lambda z, y, red=red: F.cross_entropy(z, y.long(), reduction=red),
         f"F::cross_entropy(x[0], x[1], {R})", nograd=[1])
    probs = rng.dirichlet(np.ones(4), size=5)
    case(f"cross_entropy probabilities {red}", [r(5, 4, lo=-3, hi=3), probs],
         lambda z, y, red=red: F.cross_entropy(z, y, reduction=red),
         f"F::cross_entropy(x[0], x[1], {R})")
    case(f"cross_entropy logits of 1000 {red}",
         [[[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 1000.0], [-1000.0, 1000.0, 0.0]], [2.0, 1.0, 1.0]],
         lambda z, y, red=red: F.cross_entropy(z, y.long(), reduction=red),
         f"F::cross_entropy(x[0], x[1], {R})", smooth=False, nograd=[1])
    lp = torch.log_softmax(torch.tensor(r(5, 4, lo=-3, hi=3)), 1).numpy()
    case(f"nll_loss {red}", [lp, labels(5, 4)],
         lambda z, y, red=red: F.nll_loss(z, y.long(), reduction=red),
         f"F::nll_loss(x[0], x[1], {R})", nograd=[1])
    case(f"nll_loss (N, C, d) {red}", [r(2, 3, 4, lo=-3, hi=0), labels(8, 3).reshape(2, 4)],
         lambda z, y, red=red: F.nll_loss(z, y.long(), reduction=red),
         f"F::nll_loss(x[0], x[1], {R})", nograd=[1])
case("nll_loss unbatched", [r(3, lo=-3, hi=0), 0.0], lambda z, y: F.nll_loss(z, y.long()),
     "F::nll_loss(x[0], x[1])", nograd=[1])
case("nll_loss of log_softmax is cross_entropy", [r(5, 4, lo=-3, hi=3), labels(5, 4)],
     lambda z, y: F.cross_entropy(z, y.long()), "F::nll_loss(tg::log_softmax(x[0], 1), x[1])", nograd=[1])

# ---- the L2 penalty ---------------------------------------------------------------------------
for lam in [1e-3, 0.5]:
    case(f"l2_penalty {lam}", [r(3, 2), r(2), r()],
         lambda a, b, c, lam=lam: lam / 2 * ((a ** 2).sum() + (b ** 2).sum() + (c ** 2).sum()),
         f"F::l2_penalty({{x[0], x[1], x[2]}}, {lam!r})")
case("mse_loss + l2_penalty", [r(6, 2), r(2, 1), r(1), r(6, 1)],
     lambda X, W, b, y: F.mse_loss(X @ W + b, y) + 1e-3 / 2 * ((W ** 2).sum() + (b ** 2).sum()),
     "F::mse_loss(tg::matmul(x[0], x[1]) + x[2], x[3]) + F::l2_penalty({x[1], x[2]}, 1e-3)", nograd=[0, 3])


# ---- BCE's gradient where p(1 - p) < 1e-12 (added after the cases above, so that their weights
# stay the same) --------------------------------------------------------------------------------
for red in REDUCTIONS:
    R = f"R::{red}"
    case(f"binary_cross_entropy near 0 and 1 {red}",
         [[0.0, 1.0, 1e-13, 1.0 - 1e-13, 1e-30, 1e-12, 2e-12, 0.0, 1.0],
          [0.3, 0.7, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0]],
         lambda p, y, red=red: F.binary_cross_entropy(p, y, reduction=red),
         f"F::binary_cross_entropy(x[0], x[1], {R})", smooth=False, nograd=[1])

def num(v):
    v = float(v)
    if np.isnan(v):
        return "kNaN"
    if np.isinf(v):
        return "kInf" if v > 0 else "-kInf"
    return repr(v)


def fmt(a):
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    return "{" + ", ".join(num(v) for v in a) + "}"


def shape(a):
    return "{" + ", ".join(str(d) for d in np.asarray(a).shape) + "}"


def b(v):
    return "true" if v else "false"


print("// Generated by tests/reference/make_loss_reference.py with PyTorch", torch.__version__,
      "(float64). Do not edit.")
print("// Each entry: name, smooth (gradcheck applies), inputs {shape, values, requires_grad},")
print("// the loss, its output {shape, values},")
print("// a weight W of the output's shape, and the gradient of sum(W * output) for every input")
print("// (empty where the input needs none). kInf and kNaN are infinity and NaN.")
for c in CASES:
    ts = [torch.tensor(a, requires_grad=(i not in c["nograd"])) for i, a in enumerate(c["inputs"])]
    out = c["fn"](*ts)
    w = torch.tensor(rng.uniform(-1, 1, size=tuple(out.shape)))
    (out * w).sum().backward()
    ins = ", ".join("{" + shape(a) + ", " + fmt(a) + ", " + b(i not in c["nograd"]) + "}"
                    for i, a in enumerate(c["inputs"]))
    grads = ", ".join(fmt(t.grad.numpy()) if t.grad is not None else "{}" for t in ts)
    print("{" + f'"{c["name"]}", {b(c["smooth"])},')
    print(f" {{{ins}}},")
    print(f" [](const std::vector<tg::Tensor>& x) {{ return {c['cpp']}; }},")
    print(f" {{{shape(out.detach().numpy())}, {fmt(out.detach().numpy())}}},")
    print(f" {fmt(w.numpy())},")
    print(f" {{{grads}}}}},")
