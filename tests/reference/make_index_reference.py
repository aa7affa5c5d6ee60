"""Generates index_reference.inc and index_put_reference.inc beside this script: what
PyTorch's x[...] and x[...] = v give on fixed inputs, in float64. Run with Debian's
python3-torch:

    /usr/bin/python3 tests/reference/make_index_reference.py

Every index is written once, in the small vocabulary below, and rendered both as Python
(for torch) and as the C++ TensorIndex list (for tapegrad), so the two cannot drift apart.

index_reference.inc: for each case, the input, the C++ expression, the output, a fixed
weight W of the output's shape, and the gradient of sum(W * output) with respect to the
input (the format of op_reference.inc, read by tests/test_indexing.cpp).
index_put_reference.inc: for each case, the tensor, the C++ index_put_ call and the tensor
after it. The test suite reads only the generated files; Python is not needed to run it.
"""
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.RandomState(4321)


def r(*shape):
    return rng.uniform(-2.0, 2.0, size=shape)


def nested(a, number):
    """C++ nested braces for an array: {{1, 2}, {3, 4}}."""
    if a.ndim == 0:
        return number(a.item())
    return "{" + ", ".join(nested(b, number) for b in a) + "}"


def tensor_literal(a, number):
    """A tg::Tensor holding the array's values."""
    a = np.asarray(a)
    if a.ndim == 0:
        return f"tg::Tensor({float(a.item())!r})"
    if a.size == 0:
        dims = ", ".join(str(d) for d in a.shape)
        return f"tg::Tensor(std::vector<double>{{}}, tg::Shape{{{dims}}})"
    if a.ndim == 1:
        return "tg::Tensor" + nested(a, number)
    return "tg::Tensor(" + nested(a, number) + ")"


# ---- the vocabulary of indices: each renders as Python and as C++ -----------------------------
class I:  # an integer
    def __init__(self, i):
        self.i = i
    py = property(lambda s: s.i)
    cpp = property(lambda s: str(s.i))


class S:  # a slice
    def __init__(self, start=None, stop=None, step=None):
        self.args = (start, stop, step)
    py = property(lambda s: slice(*s.args))

    @property
    def cpp(self):
        args = list(self.args)
        while args and args[-1] is None:
            args.pop()
        return "Slice(" + ", ".join("None" if a is None else str(a) for a in args) + ")"


class _N:  # None: a new axis
    py = None
    cpp = "None"


class _E:  # Ellipsis
    py = Ellipsis
    cpp = "Ellipsis"


N, E = _N(), _E()


class B:  # a bool
    def __init__(self, b):
        self.b = b
    py = property(lambda s: s.b)
    cpp = property(lambda s: "true" if s.b else "false")


class T:  # an integer index tensor
    def __init__(self, values):
        self.a = np.array(values, dtype=np.int64)
    py = property(lambda s: torch.tensor(s.a, dtype=torch.long))
    cpp = property(lambda s: tensor_literal(s.a, lambda v: str(int(v))))


class M:  # a boolean mask
    def __init__(self, values):
        self.a = np.array(values, dtype=bool)
    py = property(lambda s: torch.tensor(s.a))
    cpp = property(lambda s: tensor_literal(s.a.astype(np.int64), lambda v: str(int(v))) + ".to_mask()")


def py_index(spec):
    return tuple(i.py for i in spec)


def cpp_index(spec):
    return "{" + ", ".join(i.cpp for i in spec) + "}"


# ---- x.index(...) ------------------------------------------------------------------------------
CASES = []


def case(name, x, spec=None, torch_fn=None, cpp=None):
    """x.index(spec), or the given torch function and C++ expression of x[0]."""
    if spec is not None:
        torch_fn = lambda a, spec=spec: a[py_index(spec)]
        cpp = f"x[0].index({cpp_index(spec)})"
    CASES.append(dict(name=name, x=np.asarray(x, dtype=np.float64), fn=torch_fn, cpp=cpp))


m2 = r(4, 5)
m3 = r(2, 3, 4)
v = r(6)

# integers
case("int", m2, [I(1)])
case("negative int", m2, [I(-1)])
case("two ints", m2, [I(1), I(-2)])
case("int on axis 1", m2, [S(), I(3)])
case("ints down to 0-d", m3, [I(1), I(2), I(-1)])
case("int of a vector", v, [I(4)])
# slices
case("slice start stop", m2, [S(1, 3)])
case("slice with step", m2, [S(), S(1, 4, 2)])
case("slice negative start", m2, [S(-3)])
case("slice negative stop", m2, [S(None, -1)])
case("slice negative start and stop with step", v, [S(-5, -1, 2)])
case("slice stop beyond the end is clamped", m2, [S(2, 100)])
case("slice start before the beginning is clamped", m2, [S(-100, 2)])
case("slice start beyond the end is empty", m2, [S(7)])
case("slice stop before start is empty", m2, [S(3, 1)])
case("slice step larger than the axis", v, [S(None, None, 7)])
case("slice step 3 from 1", v, [S(1, None, 3)])
case("full slice", m2, [S()])
case("slices on two axes", m3, [S(None, None, 2), S(1), S(-3, None, 2)])
# None and Ellipsis
case("None in front", m2, [N])
case("None in the middle", m2, [S(), N])
case("None at the end", m2, [E, N])
case("two Nones", v, [N, S(1, 3), N])
case("Ellipsis at the start", m3, [E, I(1)])
case("Ellipsis in the middle", m3, [I(0), E, I(2)])
case("Ellipsis at the end", m3, [I(1), E])
case("Ellipsis alone", m3, [E])
case("Ellipsis standing for nothing", m3, [I(1), E, S(1), I(0)])
case("int None slice", m3, [I(1), N, S(None, None, 2)])
case("None Ellipsis int None", m3, [N, E, I(-1), N])
case("no index at all", m2, [])
# integer index tensors
case("index tensor with repeats", m2, [T([2, 0, 2])])
case("index tensor with negative values", m2, [T([-1, 0, -4])])
case("index tensor on axis 1", m2, [S(), T([3, 1])])
case("2-d index tensor", m2, [T([[0, 1], [2, 0]])])
case("2-d index tensor on a vector", v, [T([[5, 0, 1], [1, 1, 2]])])
case("two index tensors", m2, [T([0, 2, 3]), T([1, 4, 0])])
case("two index tensors picking one element twice", m2, [T([1, 1]), T([2, 2])])
case("two index tensors broadcast", m2, [T([[0], [2]]), T([1, 3, 4])])
case("index tensor and int", m2, [T([3, 1]), I(2)])
case("index tensors around an int", m3, [T([0, 1, 1]), I(1), T([2, 3, 0])])
case("index tensors separated by a slice", m3, [T([0, 1]), S(), T([2, 3])])
case("2-d index tensors separated by a slice", m3, [T([[0], [1]]), S(), T([[1, 2, 3]])])
case("index tensors separated by None", m2, [T([0, 3]), N, T([4, 1])])
case("adjacent index tensors after a slice", m3, [S(), T([2, 0]), T([1, 1])])
case("index tensor after Ellipsis", m3, [E, T([3, 0, 3])])
case("int, index tensor and slice", m3, [I(1), T([0, 2]), S(1, 3)])
case("slice, index tensor, slice", m3, [S(), T([2, 1, 2, 0]), S(None, None, 3)])
case("index tensor and None", m3, [T([1, 0]), N])
case("empty index tensor", m2, [T(np.zeros(0, dtype=np.int64))])
case("0-d index tensor", m2, [T(2)])
case("0-d index tensor is an int", m3, [T(0), S(), T([1, 0])])
# masks
case("mask on rows", m2, [M([True, False, True, True])])
case("mask on axis 1", m2, [S(), M([False, True, True, False, True])])
case("2-d mask", m2, [M(rng.uniform(size=(4, 5)) > 0.5)])
case("2-d mask on a 3-d tensor", m3, [M([[True, False, True], [False, True, True]])])
case("2-d mask on the last axes", m3, [S(), M(rng.uniform(size=(3, 4)) > 0.4)])
case("3-d mask", m3, [M(rng.uniform(size=(2, 3, 4)) > 0.5)])
case("mask that keeps nothing", m2, [M([False, False, False, False])])
case("mask and slice", m2, [M([True, True, False, True]), S(1, 3)])
case("mask and index tensor", m2, [M([False, True, True, False]), T([4, 0])])
case("mask after Ellipsis", m3, [E, M([True, False, False, True])])
case("mask after None", m2, [N, M([True, False, True, False])])
case("x > 0 as a mask", m2, torch_fn=lambda a: a[a > 0], cpp="x[0].index({x[0] > 0.0})")
case("rows whose first element is negative", m2, torch_fn=lambda a: a[a[:, 0] < 0],
     cpp="x[0].index({x[0].index({Slice(), 0}) < 0.0})")
case("true", m2, [B(True)])
case("false", m2, [B(False)])
case("true on axis 1", m2, [S(), B(True)])
case("0-d mask", m2, [M(True)])
case("index tensor and true", m3, [T([1, 0, 1]), S(), B(True)])
# 0-d tensors and size-0 axes
s0 = r()
case("0-d: None", s0, [N])
case("0-d: Ellipsis", s0, [E])
case("0-d: true", s0, [B(True)])
case("0-d: no index", s0, [])
z = np.zeros((0, 3))
case("size-0 axis: int on the other axis", z, [S(), I(1)])
case("size-0 axis: slice", z, [S(1)])
case("size-0 axis: empty index tensor", z, [T(np.zeros(0, dtype=np.int64))])
case("size-0 axis: index tensor on the other axis", z, [E, T([2, 0])])
case("size-0 axis: mask", z, [M(np.zeros(0, dtype=bool))])
# Tensor::slice and tg::slice
case("Tensor::slice", m2, torch_fn=lambda a: a[:, -3::2], cpp="x[0].slice(1, -3, std::nullopt, 2)")
case("tg::slice", m2, torch_fn=lambda a: a[1:3], cpp="tg::slice(x[0], 0, 1, 3)")
case("Tensor::slice with defaults", v, torch_fn=lambda a: a[:], cpp="x[0].slice()")
# A mask of several axes followed by more indices: the NumPy rule (the mask takes as many axes
# as it has). PyTorch 1.13 miscounts the axes here and raises, so torch computes it in two steps.
mm = np.array([[True, False, True], [True, True, False]])
case("2-d mask then an int (NumPy rule)", m3, torch_fn=lambda a: a[:, :, 1][torch.tensor(mm)],
     cpp=f"x[0].index({{{M(mm).cpp}, 1}})")


# ---- x[...] = value ---------------------------------------------------------------------------
PUT_CASES = []


def put(name, x, spec, value):
    """x.index_put_(spec, value); value is a number or an array."""
    if np.isscalar(value):
        cpp_value, py_value = repr(float(value)), float(value)
    else:
        cpp_value = tensor_literal(np.asarray(value, dtype=np.float64), repr)
        py_value = torch.tensor(np.asarray(value, dtype=np.float64))
    PUT_CASES.append(dict(name=name, x=np.asarray(x, dtype=np.float64), py=py_index(spec),
                          value=py_value, cpp=f"y.index_put_({cpp_index(spec)}, {cpp_value})"))


put("int, number", r(4, 5), [I(1)], 5.0)
put("negative int on axis 1, row", r(4, 5), [S(), I(-1)], r(4))
put("slice, broadcast row", r(4, 5), [S(), S(1, 3)], [7.0, 8.0])
put("value with a leading axis of size 1", r(4, 5), [I(0)], r(1, 5))
put("stepped slices", r(4, 5), [S(None, None, 2), S(None, None, 3)], -1.0)
put("index tensor, rows", r(4, 5), [T([2, 0])], r(2, 5))
put("repeated index: the last write wins", r(4, 3), [T([1, 1, 1])], [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [3.0, 3.0, 3.0]])
put("two index tensors", r(4, 5), [T([0, 2]), T([1, 3])], [10.0, 20.0])
put("broadcast index tensors, broadcast value", r(4, 5), [T([[0], [3]]), T([1, 2, 4])], r(3))
put("index tensors separated by a slice", r(2, 3, 4), [T([0, 1]), S(), T([2, 3])], r(2, 3))
put("mask", r(3, 4), [M(rng.uniform(size=(3, 4)) > 0.5)], 0.0)
put("2-d mask on a 3-d tensor, row value", r(2, 3, 4), [M([[True, False, True], [False, False, True]])], r(4))
put("mask on axis 1", r(3, 4), [S(), M([True, False, False, True])], r(3, 1))
put("Ellipsis and None", r(2, 3), [E, N], r(3, 1))
put("0-d tensor", r(), [E], 3.5)
put("empty slice changes nothing", r(4, 5), [S(3, 1)], 1.0)


def fmt(a):
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    return "{" + ", ".join(repr(float(v)) for v in a) + "}"


def shape(a):
    return "{" + ", ".join(str(d) for d in np.asarray(a).shape) + "}"


def header(what):
    return [f"// Generated by tests/reference/make_index_reference.py with PyTorch {torch.__version__}"
            " (float64). Do not edit.", f"// {what}"]


def index_lines():
    lines = header("Each entry: name, the input {shape, values}, the C++ expression of x[0], its output\n"
                   "// {shape, values}, a weight W of the output's shape, and the gradient of sum(W * output).")
    for c in CASES:
        x = torch.tensor(c["x"], requires_grad=True)
        out = c["fn"](x)
        w = torch.tensor(rng.uniform(-1, 1, size=tuple(out.shape)))
        (out * w).sum().backward()
        lines.append("{" + f'"{c["name"]}",')
        lines.append(f" {{{shape(c['x'])}, {fmt(c['x'])}}},")
        lines.append(f" [](const std::vector<tg::Tensor>& x) {{ return {c['cpp']}; }},")
        lines.append(f" {{{shape(out.detach().numpy())}, {fmt(out.detach().numpy())}}},")
        lines.append(f" {fmt(w.numpy())},")
        lines.append(f" {fmt(x.grad.numpy())}}},")
    return lines


def put_lines():
    lines = header("Each entry: name, the tensor {shape, values}, the C++ index_put_ call on it (y), and\n"
                   "// the tensor's values after it.")
    for c in PUT_CASES:
        y = torch.tensor(c["x"])
        y[c["py"]] = c["value"]
        lines.append("{" + f'"{c["name"]}",')
        lines.append(f" {{{shape(c['x'])}, {fmt(c['x'])}}},")
        lines.append(f" [](tg::Tensor& y) {{ {c['cpp']}; }},")
        lines.append(f" {fmt(y.numpy())}}},")
    return lines


here = os.path.dirname(os.path.abspath(__file__))
for name, lines in [("index_reference.inc", index_lines()), ("index_put_reference.inc", put_lines())]:
    with open(os.path.join(here, name), "w") as f:
        f.write("\n".join(lines) + "\n")
print(f"{len(CASES)} index cases, {len(PUT_CASES)} index_put_ cases")
