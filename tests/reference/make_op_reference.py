"""Generates op_reference.inc: values and gradients of every differentiable op on fixed
inputs, computed by PyTorch in float64. Run with Debian's python3-torch:

    /usr/bin/python3 tests/reference/make_op_reference.py > tests/reference/op_reference.inc

For each case the file holds the inputs, the op's output, a fixed weight W of the output's
shape, and the gradient of sum(W * output) with respect to every input that requires grad.
Where PyTorch's output does not require grad (argmax, the indices of sort and topk, one_hot)
no gradient is computed and every gradient is empty. NaN and infinity are written kNaN, kInf.
The test suite reads only the generated file; Python is not needed to run it.
"""
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.RandomState(1234)
F = torch.nn.functional


def r(*shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape)


def pos(*shape):
    return rng.uniform(0.5, 2.5, size=shape)


CASES = []


def case(name, inputs, torch_fn, cpp, smooth=True, nograd=()):
    CASES.append(dict(name=name, inputs=[np.asarray(a, dtype=np.float64) for a in inputs],
                      fn=torch_fn, cpp=cpp, smooth=smooth, nograd=set(nograd)))


# ---- arithmetic with broadcasting -------------------------------------------------------------
pairs = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((), (3, 4)), ((2, 3, 4), (3, 1)),
         ((4,), (2, 1, 4))]
for sa, sb in pairs:
    tag = f"{sa}o{sb}".replace(" ", "")
    case(f"add {tag}", [r(*sa), r(*sb)], lambda a, b: a + b, "x[0] + x[1]")
    case(f"sub {tag}", [r(*sa), r(*sb)], lambda a, b: a - b, "x[0] - x[1]")
    case(f"mul {tag}", [r(*sa), r(*sb)], lambda a, b: a * b, "x[0] * x[1]")
    case(f"div {tag}", [r(*sa), pos(*sb)], lambda a, b: a / b, "x[0] / x[1]")
    case(f"pow {tag}", [pos(*sa), r(*sb)], lambda a, b: torch.pow(a, b), "tg::pow(x[0], x[1])")
    case(f"maximum {tag}", [r(*sa), r(*sb)], torch.maximum, "tg::maximum(x[0], x[1])")
    case(f"minimum {tag}", [r(*sa), r(*sb)], torch.minimum, "tg::minimum(x[0], x[1])")
case("add same tensor twice", [r(3)], lambda a: a + a, "x[0] + x[0]")
case("mul same tensor twice", [r(3)], lambda a: a * a, "x[0] * x[0]")
case("neg", [r(3, 2)], lambda a: -a, "-x[0]")
case("square", [r(3, 2)], torch.square, "tg::square(x[0])")
for p in [2.0, 3.0, 0.5, -1.0, -2.0, 2.5, 1.0, 0.0]:
    case(f"pow scalar {p}", [pos(2, 3)], lambda a, p=p: a.pow(p), f"x[0].pow({p!r})")
case("pow scalar base", [r(2, 3)], lambda a: torch.pow(2.0, a), "tg::pow(2.0, x[0])")
case("add scalar", [r(3)], lambda a: a + 2.5, "x[0] + 2.5")
case("scalar add", [r(3)], lambda a: 2.5 + a, "2.5 + x[0]")
case("sub scalar", [r(3)], lambda a: a - 2.5, "x[0] - 2.5")
case("scalar sub", [r(3)], lambda a: 2.5 - a, "2.5 - x[0]")
case("mul scalar", [r(3)], lambda a: a * 3.0, "x[0] * 3.0")
case("scalar mul", [r(3)], lambda a: 3.0 * a, "3.0 * x[0]")
case("div scalar", [r(3)], lambda a: a / 4.0, "x[0] / 4.0")
case("scalar div", [pos(3)], lambda a: 4.0 / a, "4.0 / x[0]")

# ---- elementwise functions, including the non-smooth points ---------------------------------
case("sqrt", [pos(3, 2)], torch.sqrt, "tg::sqrt(x[0])")
case("exp", [r(3, 2)], torch.exp, "tg::exp(x[0])")
case("log", [pos(3, 2)], torch.log, "tg::log(x[0])")
case("abs", [r(3, 2)], torch.abs, "tg::abs(x[0])")
case("abs at 0", [[0.0, -1.0, 2.0]], torch.abs, "tg::abs(x[0])", smooth=False)
case("sign", [[0.0, -1.5, 2.0]], torch.sign, "tg::sign(x[0])", smooth=False)
case("sin", [r(3, 2)], torch.sin, "tg::sin(x[0])")
case("cos", [r(3, 2)], torch.cos, "tg::cos(x[0])")
case("tanh", [r(3, 2)], torch.tanh, "tg::tanh(x[0])")
case("sigmoid", [r(3, 2)], torch.sigmoid, "tg::sigmoid(x[0])")
case("relu", [r(3, 2)], torch.relu, "tg::relu(x[0])")
case("relu at 0", [[0.0, -1.0, 1.0]], torch.relu, "tg::relu(x[0])", smooth=False)
case("leaky_relu", [r(3, 2)], lambda a: F.leaky_relu(a, 0.1), "tg::leaky_relu(x[0], 0.1)")
case("leaky_relu at 0", [[0.0, -1.0, 1.0]], lambda a: F.leaky_relu(a, 0.1),
     "tg::leaky_relu(x[0], 0.1)", smooth=False)
case("elu", [r(3, 2)], F.elu, "tg::elu(x[0])")
case("elu alpha 0.5", [r(3, 2)], lambda a: F.elu(a, 0.5), "tg::elu(x[0], 0.5)")
case("elu at 0", [[0.0, -1.0, 1.0]], lambda a: F.elu(a, 0.5), "tg::elu(x[0], 0.5)", smooth=False)
case("softplus", [r(3, 2)], F.softplus, "tg::softplus(x[0])")
case("softplus beta 2 threshold 1", [[-3.0, 0.2, 0.4, 0.6, 3.0]],
     lambda a: F.softplus(a, 2.0, 1.0), "tg::softplus(x[0], 2.0, 1.0)", smooth=False)
case("softplus large", [[25.0, -30.0, 0.0]], F.softplus, "tg::softplus(x[0])", smooth=False)
case("clamp", [r(3, 4)], lambda a: a.clamp(-0.5, 0.5), "tg::clamp(x[0], -0.5, 0.5)")
case("clamp min only", [r(3, 4)], lambda a: a.clamp(min=0.1), "tg::clamp(x[0], 0.1, std::nullopt)")
case("clamp max only", [r(3, 4)], lambda a: a.clamp(max=0.1), "tg::clamp(x[0], std::nullopt, 0.1)")
case("clamp at bounds", [[-1.0, -0.5, 0.0, 0.5, 1.0]], lambda a: a.clamp(-0.5, 0.5),
     "tg::clamp(x[0], -0.5, 0.5)", smooth=False)
case("maximum ties", [[1.0, 2.0, 3.0], [1.0, 1.0, 4.0]], torch.maximum, "tg::maximum(x[0], x[1])",
     smooth=False)
case("minimum ties", [[1.0, 2.0, 3.0], [1.0, 1.0, 4.0]], torch.minimum, "tg::minimum(x[0], x[1])",
     smooth=False)
cond = (rng.uniform(size=(3, 4)) > 0.5).astype(np.float64)
case("where", [cond, r(3, 4), r(3, 4)], lambda c, a, b: torch.where(c != 0, a, b),
     "tg::where(x[0], x[1], x[2])", nograd=[0])
case("where broadcast", [cond[:, :1], r(3, 4), r(4)], lambda c, a, b: torch.where(c != 0, a, b),
     "tg::where(x[0], x[1], x[2])", nograd=[0])

# ---- reductions ------------------------------------------------------------------------------
case("sum", [r(3, 4)], torch.sum, "tg::sum(x[0])")
case("mean", [r(3, 4)], torch.mean, "tg::mean(x[0])")
case("max", [r(3, 4)], torch.max, "tg::max(x[0])")
case("min", [r(3, 4)], torch.min, "tg::min(x[0])")
case("max ties", [[[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]]], torch.max, "tg::max(x[0])", smooth=False)
case("min ties", [[[1.0, 3.0, 1.0], [2.0, 2.0, 4.0]]], torch.min, "tg::min(x[0])", smooth=False)
case("var", [r(3, 4)], torch.var, "tg::var(x[0])")
case("var correction 0", [r(3, 4)], lambda a: torch.var(a, unbiased=False), "tg::var(x[0], false)")
case("norm", [r(3, 4)], torch.norm, "tg::norm(x[0])")
case("norm of zeros", [np.zeros((2, 2))], torch.norm, "tg::norm(x[0])", smooth=False)
for ax in [0, 1, -1]:
    for kd in [False, True]:
        k = "true" if kd else "false"
        case(f"sum axis {ax} keepdims {kd}", [r(3, 4)], lambda a, ax=ax, kd=kd: a.sum(ax, keepdim=kd),
             f"tg::sum(x[0], {ax}, {k})")
        case(f"mean axis {ax} keepdims {kd}", [r(3, 4)], lambda a, ax=ax, kd=kd: a.mean(ax, keepdim=kd),
             f"tg::mean(x[0], {ax}, {k})")
        case(f"max axis {ax} keepdims {kd}", [r(3, 4)],
             lambda a, ax=ax, kd=kd: a.max(ax, keepdim=kd).values, f"tg::max(x[0], {ax}, {k})")
        case(f"min axis {ax} keepdims {kd}", [r(3, 4)],
             lambda a, ax=ax, kd=kd: a.min(ax, keepdim=kd).values, f"tg::min(x[0], {ax}, {k})")
        case(f"var axis {ax} keepdims {kd}", [r(3, 4)],
             lambda a, ax=ax, kd=kd: a.var(ax, keepdim=kd), f"tg::var(x[0], {ax}, true, {k})")
        case(f"norm axis {ax} keepdims {kd}", [r(3, 4)],
             lambda a, ax=ax, kd=kd: a.norm(dim=ax, keepdim=kd), f"tg::norm(x[0], {ax}, {k})")
case("sum axis 1 of 3-d", [r(2, 3, 4)], lambda a: a.sum(1), "tg::sum(x[0], 1)")
case("max axis ties", [[[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]]], lambda a: a.max(1).values,
     "tg::max(x[0], 1)", smooth=False)
case("min axis ties", [[[1.0, 3.0, 1.0], [2.0, 2.0, 4.0]]], lambda a: a.min(1).values,
     "tg::min(x[0], 1)", smooth=False)

# ---- linear algebra ------------------------------------------------------------------------
for sa, sb in [((3, 4), (4, 5)), ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 5)), ((2, 3, 4), (2, 4, 5)),
               ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((1, 3, 4), (2, 4, 5)), ((2, 3, 4), (4,))]:
    tag = f"{sa}@{sb}".replace(" ", "")
    case(f"matmul {tag}", [r(*sa), r(*sb)], torch.matmul, "tg::matmul(x[0], x[1])")

for sx, has_bias in [((5, 3), True), ((5, 3), False), ((3,), True), ((2, 4, 3), True)]:
    tag = f"{sx}{' bias' if has_bias else ''}".replace(" ", "")
    if has_bias:
        case(f"linear {tag}", [r(*sx), r(4, 3), r(4)], F.linear, "tg::linear(x[0], x[1], x[2])")
    else:
        case(f"linear {tag}", [r(*sx), r(4, 3)], F.linear, "tg::linear(x[0], x[1])")

# ---- shape -----------------------------------------------------------------------------------
case("transpose", [r(2, 3, 4)], lambda a: a.transpose(0, 2), "tg::transpose(x[0], 0, 2)")
case("transpose negative axes", [r(2, 3, 4)], lambda a: a.transpose(-1, -2), "x[0].transpose(-1, -2)")
case("t", [r(3, 4)], lambda a: a.t(), "x[0].t()")
case("permute", [r(2, 3, 4)], lambda a: a.permute(2, 0, 1), "tg::permute(x[0], {2, 0, 1})")
case("reshape", [r(2, 3, 4)], lambda a: a.reshape(4, -1), "tg::reshape(x[0], {4, -1})")
case("flatten", [r(2, 3, 4)], lambda a: a.flatten(), "tg::flatten(x[0])")
case("flatten 1..2", [r(2, 3, 4)], lambda a: a.flatten(1, 2), "tg::flatten(x[0], 1, 2)")
case("squeeze", [r(3, 1, 2, 1)], lambda a: a.squeeze(), "tg::squeeze(x[0])")
case("squeeze axis", [r(3, 1, 2)], lambda a: a.squeeze(1), "tg::squeeze(x[0], 1)")
case("unsqueeze", [r(3, 2)], lambda a: a.unsqueeze(1), "tg::unsqueeze(x[0], 1)")
case("unsqueeze end", [r(3, 2)], lambda a: a.unsqueeze(-1), "tg::unsqueeze(x[0], -1)")
case("broadcast_to", [r(3, 1)], lambda a: a.expand(2, 3, 4), "tg::broadcast_to(x[0], {2, 3, 4})")
case("concat axis 0", [r(2, 3), r(1, 3), r(3, 3)], lambda a, b, c: torch.cat([a, b, c], 0),
     "tg::concat({x[0], x[1], x[2]}, 0)")
case("concat axis 1", [r(2, 3), r(2, 1)], lambda a, b: torch.cat([a, b], 1), "tg::concat({x[0], x[1]}, 1)")
case("stack axis 0", [r(2, 3), r(2, 3)], lambda a, b: torch.stack([a, b], 0), "tg::stack({x[0], x[1]}, 0)")
case("stack axis 1", [r(2, 3), r(2, 3)], lambda a, b: torch.stack([a, b], 1), "tg::stack({x[0], x[1]}, 1)")
case("stack axis -1", [r(2, 3), r(2, 3), r(2, 3)], lambda a, b, c: torch.stack([a, b, c], -1),
     "tg::stack({x[0], x[1], x[2]}, -1)")
case("select", [r(3, 4)], lambda a: a[1], "x[0][1]")
case("select axis 1", [r(3, 4)], lambda a: a.select(1, -1), "tg::select(x[0], 1, -1)")
case("select of vector", [r(2)], lambda a: a[0], "x[0][0]")
case("index_select with repeats", [r(4, 3)], lambda a: a.index_select(0, torch.tensor([2, 0, 2])),
     "tg::index_select(x[0], 0, {2, 0, 2})")
case("index_select axis 1", [r(2, 4)], lambda a: a.index_select(1, torch.tensor([3, 1])),
     "tg::index_select(x[0], 1, {3, 1})")
case("narrow rows", [r(5, 3)], lambda a: a.narrow(0, 1, 3), "tg::narrow(x[0], 0, 1, 3)")
case("narrow axis 1", [r(2, 5)], lambda a: a.narrow(1, 2, 2), "tg::narrow(x[0], 1, 2, 2)")
gidx = np.array([[2], [0], [1]], dtype=np.float64)
case("gather one per row", [r(3, 4), gidx], lambda a, i: a.gather(1, i.long()),
     "tg::gather(x[0], 1, x[1])", nograd=[1])
gidx2 = np.array([[0, 1, 0], [1, 1, 0]], dtype=np.float64)
case("gather axis 0", [r(2, 3), gidx2], lambda a, i: a.gather(0, i.long()),
     "tg::gather(x[0], 0, x[1])", nograd=[1])
case("clone", [r(3)], lambda a: a.clone(), "x[0].clone()")

# ---- softmax family --------------------------------------------------------------------------
for ax in [0, 1, -1]:
    case(f"softmax axis {ax}", [r(3, 4)], lambda a, ax=ax: torch.softmax(a, ax), f"tg::softmax(x[0], {ax})")
    case(f"log_softmax axis {ax}", [r(3, 4)], lambda a, ax=ax: torch.log_softmax(a, ax),
         f"tg::log_softmax(x[0], {ax})")
    case(f"logsumexp axis {ax}", [r(3, 4)], lambda a, ax=ax: torch.logsumexp(a, ax),
         f"tg::logsumexp(x[0], {ax})")
case("logsumexp keepdims", [r(3, 4)], lambda a: torch.logsumexp(a, 1, keepdim=True),
     "tg::logsumexp(x[0], 1, true)")
big = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0]])
case("softmax of large values", [big], lambda a: torch.softmax(a, 1), "tg::softmax(x[0], 1)", smooth=False)
case("log_softmax of large values", [big], lambda a: torch.log_softmax(a, 1), "tg::log_softmax(x[0], 1)",
     smooth=False)
case("logsumexp of large values", [big], lambda a: torch.logsumexp(a, 1), "tg::logsumexp(x[0], 1)",
     smooth=False)

# ---- composites --------------------------------------------------------------------------------
case("rosenbrock", [[-1.2, 1.0]], lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2,
     "(1.0 - x[0][0]).pow(2) + 100.0 * (x[0][1] - x[0][0].pow(2)).pow(2)")
case("mse of a linear model", [r(5, 2), r(2, 1), r(1), r(5, 1)],
     lambda X, W, b, y: ((X @ W + b - y) ** 2).mean(), "((tg::matmul(x[0], x[1]) + x[2] - x[3]).pow(2)).mean()",
     nograd=[0, 3])
case("cross entropy from logits", [r(4, 3), np.array([[0.0], [2.0], [1.0], [2.0]])],
     lambda z, y: F.cross_entropy(z, y.long().squeeze(1)),
     "-tg::gather(tg::log_softmax(x[0], 1), 1, x[1]).mean()", nograd=[1])


# The sections below draw their inputs from a seed of their own, and the generator is put back
# afterwards: the weights of all cases are drawn after their inputs, so the rows generated for
# the cases above stay the same as cases are added here.
rng_state_after_first_cases = rng.get_state()
rng.seed(4321)
NAN = float("nan")
INF = float("inf")

# ---- more elementwise functions --------------------------------------------------------------


def away(*shape):  # magnitudes in [0.5, 2.5], either sign: away from 0
    return pos(*shape) * np.where(rng.uniform(size=shape) < 0.5, -1.0, 1.0)


case("rsqrt", [pos(3, 2)], torch.rsqrt, "tg::rsqrt(x[0])")
case("reciprocal", [away(3, 2)], torch.reciprocal, "tg::reciprocal(x[0])")
case("expm1", [r(3, 2)], torch.expm1, "tg::expm1(x[0])")
case("expm1 of tiny values", [[1e-10, -1e-12, 0.0]], torch.expm1, "x[0].expm1()")
case("log1p", [r(3, 2, lo=-0.9, hi=2.0)], torch.log1p, "tg::log1p(x[0])")
case("log1p of tiny values", [[1e-10, -1e-12, 0.0]], torch.log1p, "x[0].log1p()")
case("log2", [pos(3, 2)], torch.log2, "tg::log2(x[0])")
case("log10", [pos(3, 2)], torch.log10, "tg::log10(x[0])")
case("tan", [r(3, 2, lo=-1.2, hi=1.2)], torch.tan, "tg::tan(x[0])")
case("atan", [r(3, 2, lo=-4.0, hi=4.0)], torch.atan, "tg::atan(x[0])")
case("sinh", [r(3, 2)], torch.sinh, "tg::sinh(x[0])")
case("cosh", [r(3, 2)], torch.cosh, "tg::cosh(x[0])")
case("asinh", [r(3, 2, lo=-4.0, hi=4.0)], torch.asinh, "tg::asinh(x[0])")
case("erf", [r(3, 2)], torch.erf, "tg::erf(x[0])")
case("logsigmoid", [r(3, 2, lo=-5.0, hi=5.0)], F.logsigmoid, "tg::logsigmoid(x[0])")
case("logsigmoid at large |x|", [[-800.0, -40.0, -20.0, 0.0, 20.0, 40.0, 800.0]], F.logsigmoid,
     "x[0].logsigmoid()")
case("silu", [r(3, 2, lo=-5.0, hi=5.0)], F.silu, "tg::silu(x[0])")
case("softsign", [r(3, 2)], F.softsign, "tg::softsign(x[0])")
case("softsign at 0", [[0.0, -3.0, 3.0]], F.softsign, "tg::softsign(x[0])")
case("hardtanh", [r(3, 4)], F.hardtanh, "tg::hardtanh(x[0])")
case("hardtanh -0.5..2", [r(3, 4, lo=-3.0, hi=3.0)], lambda a: F.hardtanh(a, -0.5, 2.0),
     "tg::hardtanh(x[0], -0.5, 2.0)")
case("hardtanh at its bounds", [[-2.0, -1.0, -0.5, 0.0, 1.0, 1.5]], F.hardtanh, "tg::hardtanh(x[0])",
     smooth=False)
case("hardtanh at bounds -0.5..2", [[-0.5, 2.0, 0.0]], lambda a: F.hardtanh(a, -0.5, 2.0),
     "tg::hardtanh(x[0], -0.5, 2.0)", smooth=False)
case("gelu", [r(3, 4, lo=-4.0, hi=4.0)], F.gelu, "tg::gelu(x[0])")
case("gelu tanh", [r(3, 4, lo=-4.0, hi=4.0)], lambda a: F.gelu(a, approximate="tanh"),
     "tg::gelu(x[0], \"tanh\")")
case("gelu at 0 and far out", [[0.0, -10.0, 10.0, -40.0]], F.gelu, "tg::gelu(x[0])")
case("gelu tanh at 0 and far out", [[0.0, -10.0, 10.0, -40.0]], lambda a: F.gelu(a, approximate="tanh"),
     "tg::gelu(x[0], \"tanh\")")
for sa, sb in [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((), (2, 3))]:
    tag = f"{sa}o{sb}".replace(" ", "")
    case(f"atan2 {tag}", [away(*sa), away(*sb)], torch.atan2, "tg::atan2(x[0], x[1])")
case("atan2 at (0, x)", [[0.0, 0.0, -0.0, 1.0, 0.0], [1.0, -1.0, -1.0, 0.0, 0.0]], torch.atan2,
     "x[0].atan2(x[1])", smooth=False)
nan_pair = [[NAN, 1.0, NAN, 2.0, -1.0], [1.0, NAN, NAN, 2.0, 3.0]]
case("maximum with NaN", nan_pair, torch.maximum, "tg::maximum(x[0], x[1])", smooth=False)
case("minimum with NaN", nan_pair, torch.minimum, "x[0].minimum(x[1])", smooth=False)
case("gelu 0-d", [r()], F.gelu, "tg::gelu(x[0])")
case("atan2 0-d", [away(), away()], torch.atan2, "tg::atan2(x[0], x[1])")
case("silu of size 0", [np.zeros((0, 3))], F.silu, "tg::silu(x[0])")
case("atan2 of size 0 broadcast", [np.zeros((2, 0)), away(1)], torch.atan2, "tg::atan2(x[0], x[1])")

# ---- reductions of empty tensors -------------------------------------------------------------
# The mean and variance of nothing are NaN; max and min along an axis of a tensor that is
# empty elsewhere are empty.
case("mean of size 0", [np.zeros(0)], torch.mean, "tg::mean(x[0])", smooth=False)
case("mean of (0, 3) along axis 0", [np.zeros((0, 3))], lambda a: a.mean(0), "tg::mean(x[0], 0)", smooth=False)
case("mean of (3, 0) along axis 0", [np.zeros((3, 0))], lambda a: a.mean(0), "x[0].mean(0)")
case("var of size 0", [np.zeros(0)], torch.var, "tg::var(x[0])", smooth=False)
# (PyTorch 1.13's own backward fails here: value only.)
case("var not unbiased of size 0", [np.zeros((2, 0))], lambda a: a.var(unbiased=False), "x[0].var(false)",
     smooth=False, nograd=[0])
case("var of (2, 0) along axis 1", [np.zeros((2, 0))], lambda a: a.var(1), "tg::var(x[0], 1)", smooth=False)
case("var of one element per row", [r(3, 1)], lambda a: a.var(1), "tg::var(x[0], 1)", smooth=False)
case("sum of size 0", [np.zeros((0, 2))], torch.sum, "tg::sum(x[0])")
case("norm of size 0", [np.zeros(0)], torch.norm, "tg::norm(x[0])", smooth=False)
case("max of (0, 3) along axis 1", [np.zeros((0, 3))], lambda a: a.max(1).values, "tg::max(x[0], 1)")
case("min of (0, 3) along axis -1 keepdims", [np.zeros((0, 3))], lambda a: a.min(-1, keepdim=True).values,
     "x[0].min(-1, true)")
case("max of (2, 0, 3) along axis 2", [np.zeros((2, 0, 3))], lambda a: a.max(2).values, "tg::max(x[0], 2)")

# ---- positions and order ---------------------------------------------------------------------
# Positions are not differentiable: PyTorch's output does not require grad, and neither may
# tapegrad's (the inputs below do). Values with many ties test which position wins.


def ties(*shape, m=3):
    return rng.randint(0, m, size=shape).astype(np.float64)


def stable_sort(a, dim=-1, descending=False):
    return torch.sort(a, dim=dim, descending=descending, stable=True)


# tg::sort is stable; PyTorch's default sort on the CPU is not, which is why the cases compare
# with stable=True (docs/ops.md).
_t = torch.tensor(np.random.RandomState(0).randint(0, 3, size=100).astype(np.float64))
assert not torch.equal(torch.sort(_t).indices, stable_sort(_t).indices)


nan_rows = [[1.0, NAN, 5.0, NAN], [2.0, 1.0, -3.0, 0.0], [2.0, 2.0, NAN, -3.0]]
case("argmax", [r(3, 4)], torch.argmax, "tg::argmax(x[0])", smooth=False)
case("argmax ties", [[[1.0, 3.0, 3.0], [2.0, 3.0, 1.0]]], torch.argmax, "x[0].argmax()", smooth=False)
case("argmin ties", [[[1.0, 3.0, 0.0], [0.0, 3.0, 1.0]]], torch.argmin, "tg::argmin(x[0])", smooth=False)
for ax in [0, 1, -1]:
    for kd in [False, True]:
        k = "true" if kd else "false"
        case(f"argmax axis {ax} keepdims {kd}", [ties(3, 4)], lambda a, ax=ax, kd=kd: a.argmax(ax, keepdim=kd),
             f"tg::argmax(x[0], {ax}, {k})", smooth=False)
        case(f"argmin axis {ax} keepdims {kd}", [ties(3, 4)], lambda a, ax=ax, kd=kd: a.argmin(ax, keepdim=kd),
             f"x[0].argmin({ax}, {k})", smooth=False)
case("argmax with NaN", [nan_rows], lambda a: a.argmax(1), "tg::argmax(x[0], 1)", smooth=False)
case("argmin with NaN", [nan_rows], lambda a: a.argmin(1), "tg::argmin(x[0], 1)", smooth=False)
case("argmax of all with NaN", [nan_rows], torch.argmax, "tg::argmax(x[0])", smooth=False)
case("argmax 0-d", [r()], torch.argmax, "tg::argmax(x[0])", smooth=False)
case("argmin 0-d axis 0", [r()], lambda a: a.argmin(0), "tg::argmin(x[0], 0)", smooth=False)
case("argmax of (0, 3) along axis 1", [np.zeros((0, 3))], lambda a: a.argmax(1), "tg::argmax(x[0], 1)",
     smooth=False)
case("argmax of (2, 3, 4) along axis 1", [r(2, 3, 4)], lambda a: a.argmax(1), "tg::argmax(x[0], 1)",
     smooth=False)

for ax in [0, 1, -1]:
    for d in [False, True]:
        dd = "true" if d else "false"
        case(f"sort axis {ax} descending {d}", [r(3, 5)], lambda a, ax=ax, d=d: stable_sort(a, ax, d).values,
             f"tg::sort(x[0], {ax}, {dd}).values")
        case(f"sort indices axis {ax} descending {d}", [ties(3, 5)],
             lambda a, ax=ax, d=d: stable_sort(a, ax, d).indices, f"tg::sort(x[0], {ax}, {dd}).indices",
             smooth=False)
case("sort", [r(4)], lambda a: stable_sort(a).values, "x[0].sort().values")
case("sort values with ties", [ties(3, 6)], lambda a: stable_sort(a).values, "tg::sort(x[0]).values",
     smooth=False)
case("sort descending values with ties", [ties(3, 6)], lambda a: stable_sort(a, 1, True).values,
     "x[0].sort(1, true).values", smooth=False)
case("sort with NaN", [nan_rows], lambda a: stable_sort(a).values, "tg::sort(x[0]).values", smooth=False)
case("sort indices with NaN", [nan_rows], lambda a: stable_sort(a).indices, "tg::sort(x[0]).indices",
     smooth=False)
case("sort descending with NaN", [nan_rows], lambda a: stable_sort(a, descending=True).indices,
     "tg::sort(x[0], -1, true).indices", smooth=False)
case("sort of 3-d along axis 1", [r(2, 3, 4)], lambda a: stable_sort(a, 1).values, "tg::sort(x[0], 1).values")
case("sort 0-d", [r()], lambda a: stable_sort(a).values, "tg::sort(x[0]).values")
case("sort 0-d indices", [r()], lambda a: stable_sort(a).indices, "tg::sort(x[0]).indices", smooth=False)
case("sort of (2, 0)", [np.zeros((2, 0))], lambda a: stable_sort(a).values, "tg::sort(x[0]).values")
case("argsort", [ties(3, 6)], lambda a: stable_sort(a).indices, "tg::argsort(x[0])", smooth=False)
case("argsort axis 0 descending", [ties(4, 3)], lambda a: stable_sort(a, 0, True).indices,
     "x[0].argsort(0, true)", smooth=False)
case("argsort with NaN", [nan_rows], lambda a: stable_sort(a).indices, "tg::argsort(x[0])", smooth=False)

for k in [1, 2, 4]:
    case(f"topk k = {k}", [r(3, 4)], lambda a, k=k: torch.topk(a, k).values, f"tg::topk(x[0], {k}).values")
case("topk indices", [r(3, 5)], lambda a: torch.topk(a, 2).indices, "tg::topk(x[0], 2).indices", smooth=False)
case("topk smallest", [r(3, 5)], lambda a: torch.topk(a, 3, largest=False).values,
     "tg::topk(x[0], 3, -1, false).values")
case("topk smallest indices", [r(3, 5)], lambda a: torch.topk(a, 3, largest=False).indices,
     "tg::topk(x[0], 3, -1, false).indices", smooth=False)
case("topk axis 0", [r(4, 3)], lambda a: torch.topk(a, 2, 0).values, "x[0].topk(2, 0).values")
case("topk not sorted", [r(3, 6)], lambda a: torch.topk(a, 3, sorted=False).values,
     "tg::topk(x[0], 3, -1, true, false).values")
case("topk not sorted indices", [ties(3, 6)], lambda a: torch.topk(a, 4, sorted=False).indices,
     "tg::topk(x[0], 4, -1, true, false).indices", smooth=False)
case("topk k = 0", [r(3, 4)], lambda a: torch.topk(a, 0).values, "tg::topk(x[0], 0).values")
case("topk 0-d", [r()], lambda a: torch.topk(a, 1).values, "tg::topk(x[0], 1).values")
case("topk of (0, 3)", [np.zeros((0, 3))], lambda a: torch.topk(a, 2).values, "tg::topk(x[0], 2).values")
# PyTorch orders tied values by its algorithm: nth_element then a sort of the first k - 1 when
# k·64 > n, a partial sort otherwise. Both paths, with and without NaN.
for n, k in [(7, 3), (9, 5), (130, 2), (200, 3)]:
    case(f"topk ties n = {n} k = {k}", [ties(3, n)], lambda a, k=k: torch.topk(a, k).indices,
         f"tg::topk(x[0], {k}).indices", smooth=False)
    case(f"topk smallest ties n = {n} k = {k}", [ties(3, n)],
         lambda a, k=k: torch.topk(a, k, largest=False).indices, f"tg::topk(x[0], {k}, -1, false).indices",
         smooth=False)
    t = ties(2, n)
    t[0, n // 2] = NAN
    t[1, 1] = NAN
    case(f"topk with NaN n = {n} k = {k}", [t], lambda a, k=k: torch.topk(a, k).indices,
         f"tg::topk(x[0], {k}).indices", smooth=False)
    case(f"topk smallest with NaN n = {n} k = {k}", [t], lambda a, k=k: torch.topk(a, k, largest=False).values,
         f"tg::topk(x[0], {k}, -1, false).values", smooth=False)
case("topk values with ties", [ties(3, 6)], lambda a: torch.topk(a, 3).values, "tg::topk(x[0], 3).values",
     smooth=False)

# ---- reductions over several axes, std, amax and amin ---------------------------------------
def vector_norm(a, dim, keepdim=False):
    return torch.linalg.vector_norm(a, 2, dim=dim, keepdim=keepdim)


# tg::norm over a list of axes is torch.linalg.vector_norm: torch.norm with two axes is
# frobenius_norm in 1.13, whose gradient at 0 is NaN (docs/ops.md).
_z = torch.zeros(2, 2, requires_grad=True)
torch.norm(_z, dim=[0, 1]).backward()
assert torch.isnan(_z.grad).all()


for axes in [[0, 2], [-1, 0], [1], [0, 1, 2]]:
    for kd in [False, True]:
        k = "true" if kd else "false"
        A = "{" + ", ".join(map(str, axes)) + "}"
        V = f"std::vector<int>{A}"
        case(f"sum axes {axes} keepdims {kd}", [r(2, 3, 4)], lambda a, ax=axes, kd=kd: a.sum(ax, keepdim=kd),
             f"tg::sum(x[0], {V}, {k})")
        case(f"mean axes {axes} keepdims {kd}", [r(2, 3, 4)], lambda a, ax=axes, kd=kd: a.mean(ax, keepdim=kd),
             f"x[0].mean({V}, {k})")
        case(f"var axes {axes} keepdims {kd}", [r(2, 3, 4)], lambda a, ax=axes, kd=kd: a.var(ax, keepdim=kd),
             f"tg::var(x[0], {V}, true, {k})")
        case(f"std axes {axes} keepdims {kd}", [r(2, 3, 4)], lambda a, ax=axes, kd=kd: a.std(ax, keepdim=kd),
             f"tg::std(x[0], {V}, true, {k})")
        case(f"norm axes {axes} keepdims {kd}", [r(2, 3, 4)], lambda a, ax=axes, kd=kd: vector_norm(a, ax, kd),
             f"tg::norm(x[0], {V}, {k})")
        case(f"amax axes {axes} keepdims {kd}", [r(2, 3, 4)], lambda a, ax=axes, kd=kd: a.amax(ax, keepdim=kd),
             f"tg::amax(x[0], {A}, {k})")
        case(f"amin axes {axes} keepdims {kd}", [r(2, 3, 4)], lambda a, ax=axes, kd=kd: a.amin(ax, keepdim=kd),
             f"x[0].amin({A}, {k})")
case("var axes not unbiased", [r(2, 3, 4)], lambda a: a.var([0, 2], unbiased=False), "tg::var(x[0], {0, 2}, false)")
case("std axes not unbiased keepdims", [r(2, 3, 4)], lambda a: a.std([2, 1], unbiased=False, keepdim=True),
     "x[0].std({2, 1}, false, true)")
case("sum of an empty list of axes", [r(2, 3)], lambda a: a.sum([]), "tg::sum(x[0], std::vector<int>{})")
case("mean of an empty list of axes keepdims", [r(2, 3)], lambda a: a.mean([], keepdim=True),
     "x[0].mean(std::vector<int>{}, true)")
case("amax of all", [r(3, 4)], torch.amax, "tg::amax(x[0])")
case("amin of all keepdims", [r(3, 4)], lambda a: a.amin([], keepdim=True), "x[0].amin({}, true)")
tied = [[1.0, 3.0, 3.0], [NAN, 2.0, 1.0], [2.0, 2.0, 2.0], [-INF, -INF, -5.0]]
case("amax ties and NaN", [tied], lambda a: a.amax(1), "tg::amax(x[0], {1})", smooth=False)
case("amin ties and NaN", [tied], lambda a: a.amin(1), "tg::amin(x[0], {1})", smooth=False)
case("amax of all with NaN", [tied], torch.amax, "tg::amax(x[0])", smooth=False)
case("amax of -inf", [[[-INF, -INF], [1.0, 1.0]]], lambda a: a.amax(1), "tg::amax(x[0], {-1})", smooth=False)
case("amax 0-d", [r()], torch.amax, "tg::amax(x[0])")
case("sum 0-d axes {0}", [r()], lambda a: a.sum([0]), "tg::sum(x[0], std::vector<int>{0})")
case("amax of (0, 3) along axis 1", [np.zeros((0, 3))], lambda a: a.amax(1), "tg::amax(x[0], {1})")
case("sum of (0, 3) along axes {0}", [np.zeros((0, 3))], lambda a: a.sum([0]), "tg::sum(x[0], std::vector<int>{0})")
case("mean of (0, 3) along axes {0, 1}", [np.zeros((0, 3))], lambda a: a.mean([0, 1]), "tg::mean(x[0], {0, 1})",
     smooth=False)
case("norm at 0 along axes", [np.zeros((2, 2, 2))], lambda a: vector_norm(a, [0, 2]), "tg::norm(x[0], {0, 2})",
     smooth=False)
for ax in [0, 1, -1]:
    for kd in [False, True]:
        k = "true" if kd else "false"
        case(f"std axis {ax} keepdims {kd}", [r(3, 4)], lambda a, ax=ax, kd=kd: a.std(ax, keepdim=kd),
             f"tg::std(x[0], {ax}, true, {k})")
case("std", [r(3, 4)], torch.std, "tg::std(x[0])")
case("std not unbiased", [r(3, 4)], lambda a: a.std(unbiased=False), "x[0].std(false)")
case("std axis not unbiased", [r(3, 4)], lambda a: a.std(1, unbiased=False), "x[0].std(1, false)")
case("std at 0", [[[2.0, 2.0, 2.0], [1.0, -1.0, 0.5]]], lambda a: a.std(1), "tg::std(x[0], 1)", smooth=False)
case("std of all equal", [[2.0, 2.0, 2.0]], torch.std, "tg::std(x[0])", smooth=False)
case("std of (3, 0) along axis 1", [np.zeros((3, 0))], lambda a: a.std(1), "tg::std(x[0], 1)", smooth=False)

# ---- products and running totals --------------------------------------------------------------
# The derivatives of prod and cumprod at zeros: one zero, two zeros, a zero first and last.
# Both are polynomials, so finite differences apply at zeros too.
zeros_rows = [[2.0, 0.0, 3.0, 0.5], [0.0, 1.5, -2.0, 0.0], [1.5, -0.5, 2.0, 0.0], [0.0, 2.0, 0.0, 3.0]]
case("prod", [r(3, 4)], torch.prod, "tg::prod(x[0])")
case("prod with one zero", [[[2.0, 0.0, 3.0], [0.5, -1.5, 2.0]]], torch.prod, "tg::prod(x[0])")
case("prod with two zeros", [[[2.0, 0.0, 3.0], [0.0, -1.5, 2.0]]], torch.prod, "x[0].prod()")
for ax in [0, 1, -1]:
    for kd in [False, True]:
        k = "true" if kd else "false"
        case(f"prod axis {ax} keepdims {kd}", [r(3, 4)], lambda a, ax=ax, kd=kd: a.prod(ax, keepdim=kd),
             f"tg::prod(x[0], {ax}, {k})")
case("prod axis 1 with zeros", [zeros_rows], lambda a: a.prod(1), "tg::prod(x[0], 1)")
case("prod axis 0 with zeros", [zeros_rows], lambda a: a.prod(0, keepdim=True), "x[0].prod(0, true)")
case("prod of 3-d along axis 1", [r(2, 3, 4)], lambda a: a.prod(1), "tg::prod(x[0], 1)")
case("prod 0-d", [r()], torch.prod, "tg::prod(x[0])")
case("prod 0-d axis 0", [r()], lambda a: a.prod(0), "tg::prod(x[0], 0)")
case("prod of size 0", [np.zeros((0, 3))], torch.prod, "tg::prod(x[0])")
case("prod of (0, 3) along axis 0", [np.zeros((0, 3))], lambda a: a.prod(0), "tg::prod(x[0], 0)")
for ax in [0, 1, -1]:
    case(f"cumsum axis {ax}", [r(3, 4)], lambda a, ax=ax: torch.cumsum(a, ax), f"tg::cumsum(x[0], {ax})")
    case(f"cumprod axis {ax}", [r(3, 4)], lambda a, ax=ax: torch.cumprod(a, ax), f"tg::cumprod(x[0], {ax})")
case("cumsum of 3-d along axis 1", [r(2, 3, 4)], lambda a: a.cumsum(1), "x[0].cumsum(1)")
case("cumprod of 3-d along axis 1", [r(2, 3, 4)], lambda a: a.cumprod(1), "x[0].cumprod(1)")
case("cumprod with zeros", [zeros_rows], lambda a: a.cumprod(1), "tg::cumprod(x[0], 1)")
case("cumprod with zeros along axis 0", [zeros_rows], lambda a: a.cumprod(0), "tg::cumprod(x[0], 0)")
case("cumprod with three zeros", [[0.0, 2.0, 0.0, 3.0, 0.0, 1.5]], lambda a: a.cumprod(0),
     "tg::cumprod(x[0], 0)")
case("cumprod of one column", [r(3, 1)], lambda a: a.cumprod(1), "tg::cumprod(x[0], 1)")
case("cumprod of zeros in one column", [[[0.0], [2.0]]], lambda a: a.cumprod(1), "tg::cumprod(x[0], 1)")
case("cumsum 0-d", [r()], lambda a: a.cumsum(0), "tg::cumsum(x[0], 0)")
case("cumprod 0-d", [r()], lambda a: a.cumprod(-1), "tg::cumprod(x[0], -1)")
case("cumsum of size 0", [np.zeros((2, 0))], lambda a: a.cumsum(1), "tg::cumsum(x[0], 1)")
case("cumprod of size 0", [np.zeros((0, 2))], lambda a: a.cumprod(1), "tg::cumprod(x[0], 1)")

# ---- masks, flips, tiles, triangles, one-hot, comparisons -------------------------------------
def mask(*shape):
    return (rng.uniform(size=shape) < 0.5).astype(np.float64)


case("masked_fill", [r(3, 4), mask(3, 4)], lambda a, m: a.masked_fill(m != 0, 0.5), "tg::masked_fill(x[0], x[1], 0.5)",
     nograd=[1])
case("masked_fill mask (3, 1)", [r(3, 4), mask(3, 1)], lambda a, m: a.masked_fill(m != 0, -2.0),
     "x[0].masked_fill(x[1], -2.0)", nograd=[1])
case("masked_fill mask (4,)", [r(3, 4), mask(4)], lambda a, m: a.masked_fill(m != 0, 1.0),
     "tg::masked_fill(x[0], x[1], 1.0)", nograd=[1])
case("masked_fill a broadcast to the mask", [r(4), mask(2, 4)], lambda a, m: a.masked_fill(m != 0, 3.0),
     "tg::masked_fill(x[0], x[1], 3.0)", nograd=[1])
case("masked_fill with -inf", [r(2, 3), [[0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]],
     lambda a, m: torch.softmax(a.masked_fill(m != 0, -INF), 1),
     "tg::softmax(tg::masked_fill(x[0], x[1], -std::numeric_limits<double>::infinity()), 1)", nograd=[1])
case("masked_fill 0-d mask", [r(2, 3), 1.0], lambda a, m: a.masked_fill(m != 0, 0.0), "tg::masked_fill(x[0], x[1], 0.0)",
     nograd=[1])
case("masked_fill of size 0", [np.zeros((0, 3)), mask(3)], lambda a, m: a.masked_fill(m != 0, 0.0),
     "tg::masked_fill(x[0], x[1], 0.0)", nograd=[1])

for axes in [[0], [1], [-1], [1, 0], []]:
    A = "{" + ", ".join(map(str, axes)) + "}"
    case(f"flip {axes}", [r(3, 4)], lambda a, ax=axes: torch.flip(a, ax), f"tg::flip(x[0], std::vector<int>{A})")
case("flip of 3-d [0, 2]", [r(2, 3, 4)], lambda a: torch.flip(a, [0, 2]), "x[0].flip({0, 2})")
case("flip of 3-d [-2]", [r(2, 3, 4)], lambda a: torch.flip(a, [-2]), "x[0].flip({-2})")
case("flip 0-d", [r()], lambda a: torch.flip(a, [0]), "tg::flip(x[0], {0})")
case("flip of size 0", [np.zeros((2, 0))], lambda a: torch.flip(a, [0, 1]), "tg::flip(x[0], {0, 1})")

for reps in [[2, 1], [1, 3], [2, 3], [2, 1, 2], [1, 1], [3, 2, 1, 2]]:
    R = "{" + ", ".join(map(str, reps)) + "}"
    case(f"repeat {reps}", [r(2, 3)], lambda a, rp=reps: a.repeat(*rp), f"tg::repeat(x[0], {R})")
case("repeat 1-d", [r(3)], lambda a: a.repeat(2), "x[0].repeat({2})")
case("repeat 1-d into 2-d", [r(3)], lambda a: a.repeat(2, 2), "x[0].repeat({2, 2})")
case("repeat of (3, 1)", [r(3, 1)], lambda a: a.repeat(1, 4), "tg::repeat(x[0], {1, 4})")
case("repeat 0 times", [r(2, 3)], lambda a: a.repeat(2, 0), "tg::repeat(x[0], {2, 0})")
case("repeat 0-d", [r()], lambda a: a.repeat(2, 3), "tg::repeat(x[0], {2, 3})")
case("repeat 0-d no counts", [r()], lambda a: a.repeat([]), "tg::repeat(x[0], {})")
case("repeat of size 0", [np.zeros((0, 2))], lambda a: a.repeat(2, 2), "tg::repeat(x[0], {2, 2})")

for k in [0, 1, -1, 2, -3, 5]:
    case(f"tril diagonal {k}", [r(3, 4)], lambda a, k=k: torch.tril(a, k), f"tg::tril(x[0], {k})")
    case(f"triu diagonal {k}", [r(4, 3)], lambda a, k=k: torch.triu(a, k), f"tg::triu(x[0], {k})")
case("tril of a batch", [r(2, 3, 3)], torch.tril, "x[0].tril()")
case("triu of a batch", [r(2, 2, 3, 3)], lambda a: a.triu(1), "x[0].triu(1)")
case("tril of size 0", [np.zeros((2, 0, 3))], torch.tril, "tg::tril(x[0])")

labels = rng.randint(0, 4, size=6).astype(np.float64)
case("one_hot", [labels], lambda y: F.one_hot(y.long()), "tg::one_hot(x[0])", smooth=False)
case("one_hot num_classes 6", [labels], lambda y: F.one_hot(y.long(), 6), "tg::one_hot(x[0], 6)", smooth=False)
case("one_hot of 2-d labels", [labels.reshape(2, 3)], lambda y: F.one_hot(y.long(), 5), "tg::one_hot(x[0], 5)",
     smooth=False)
case("one_hot 0-d", [2.0], lambda y: F.one_hot(y.long(), 4), "tg::one_hot(x[0], 4)", smooth=False)
case("one_hot of no labels", [np.zeros(0)], lambda y: F.one_hot(y.long(), 3), "tg::one_hot(x[0], 3)", smooth=False)

ta, tb = ties(3, 4), ties(4)
for op in ["eq", "ne", "lt", "le", "gt", "ge"]:
    case(f"{op} (3,4)o(4,)", [ta, tb], lambda a, b, op=op: getattr(a, op)(b), f"x[0].{op}(x[1])", smooth=False)
case("lt with NaN", [[NAN, 1.0, 2.0], [1.0, NAN, 3.0]], torch.lt, "tg::lt(x[0], x[1])", smooth=False)
case("ne with NaN", [[NAN, 1.0, 2.0], [NAN, NAN, 2.0]], torch.ne, "x[0].ne(x[1])", smooth=False)

rng.set_state(rng_state_after_first_cases)


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


print("// Generated by tests/reference/make_op_reference.py with PyTorch", torch.__version__,
      "(float64). Do not edit.")
print("// Each entry: name, smooth (gradcheck applies), inputs {shape, values, requires_grad},")
print("// the op, its output {shape, values}, a weight W of the output's shape, and the")
print("// gradient of sum(W * output) for every input (empty where the input needs none, and")
print("// all empty where the output is not differentiable). kInf and kNaN are infinity and NaN.")
print("// Each entry is its own TAPEGRAD_OP_CASE, which the test makes a function of its own: one")
print("// initializer of all of them would take minutes to compile with AddressSanitizer.")
for c in CASES:
    ts = [torch.tensor(a, requires_grad=(i not in c["nograd"])) for i, a in enumerate(c["inputs"])]
    out = c["fn"](*ts)
    w = torch.tensor(rng.uniform(-1, 1, size=tuple(out.shape)))
    if out.requires_grad:
        (out * w).sum().backward()
    ins = ", ".join("{" + shape(a) + ", " + fmt(a) + ", " + ("false" if i in c["nograd"] else "true") + "}"
                    for i, a in enumerate(c["inputs"]))
    grads = ", ".join(fmt(t.grad.numpy()) if t.grad is not None else "{}" for t in ts)
    print("TAPEGRAD_OP_CASE({" + f'"{c["name"]}", {"true" if c["smooth"] else "false"},')
    print(f" {{{ins}}},")
    print(f" [](const std::vector<tg::Tensor>& x) {{ return {c['cpp']}; }},")
    print(f" {{{shape(out.detach().numpy())}, {fmt(out.detach().numpy())}}},")
    print(f" {fmt(w.numpy())},")
    print(f" {{{grads}}}}})")
