"""Reference runs of the authors' YellowFin (YFOptimizer) for yellowfin, beyond oracle_ext/.

    /usr/bin/python3 tests/reference/yellowfin_reference.py --src DIR

DIR holds the authors' file yellowfin.py: JianGoForIt/YellowFin_Pytorch at commit
b87aed1490d1210d280cfe20e5f8d9e11a2efbe2, tuner_utils/yellowfin.py (Apache-2.0; not part of
this repository). The script applies the two dtype patches of oracle_ext/yellowfin's
trajectories before loading it, unless the file has them already: the curvature window and the
gradient-variance accumulator become float64 (the original keeps them in float32). It runs PyTorch 1.13 (Debian's
python3-torch) in float64, gradients by autograd, 50 optimizer steps per run, and writes
tests/reference/yellowfin.txt. Each run is a line

    run <function> start=<comma-separated start> <option>=<value> ...

followed by 51 lines of the parameter's values (row-major, 17 significant digits): the start,
then after each step. The runs cover what oracle_ext/yellowfin does not: the functions beale,
himmelblau, rastrigin, booth, rosenbrock10 and matrix_lsq, the options sparsity_debias (with
gradient entries that are exactly 0), force_non_inc_step, auto_clip_fac, stat_protect_fac,
catastrophic_move_thresh and adapt_clip = false, and the restore of the step-0 copy: with
`inf_grad_at=K`, the loss of step K (0-based) gets + inf·θ₀, so its gradient is inf in the first
entry, the statistics going into the cubic are NaN and the step returns to the copy.

Every run is repeated with each gradient entry multiplied by (1 ± 2^-50) (random signs, numpy
default_rng(12345)); the script fails if that moves a value by more than 5% of the test
tolerance 1e-12 + 1e-9|b|, so a faithful double-precision port reproduces every run to a
relative 1e-9.
"""
import argparse
import math
import os
import sys
import types

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

STEPS = 50
A = 10.0  # Rastrigin's A
LSQ_X = [[1.0, 0.5, -0.3], [0.2, -1.0, 0.4], [0.7, 0.1, 1.2], [-0.6, 0.9, 0.3], [0.4, -0.2, -0.8]]
LSQ_Y = [[1.0, -1.0, 0.5, 0.0], [0.0, 2.0, -0.5, 1.0], [0.3, 0.3, 1.0, -1.0], [-1.0, 0.5, 0.0, 0.2],
         [0.5, 0.0, -0.7, 0.9]]


def two(f):
    return lambda p: f(p[0], p[1])


FUNCTIONS = {
    "quadratic": two(lambda x, y: (x - 3.0) ** 2 + (y + 2.0) ** 2),
    "saddle": two(lambda x, y: x ** 2 - y ** 2),
    "beale": two(lambda x, y: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2
                 + (2.625 - x + x * y ** 3) ** 2),
    "booth": two(lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2),
    "himmelblau": two(lambda x, y: (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2),
    "rastrigin": lambda p: A * p.numel() + torch.sum(p ** 2 - A * torch.cos(2 * math.pi * p)),
    "rosenbrock10": lambda p: torch.sum(100.0 * (p[1:] - p[:-1] ** 2) ** 2 + (1.0 - p[:-1]) ** 2),
    "matrix_lsq": lambda w: 0.5 * torch.sum((torch.tensor(LSQ_X) @ w - torch.tensor(LSQ_Y)) ** 2),
}
SHAPES = {"rosenbrock10": (10,), "matrix_lsq": (3, 4)}

# (function, start label, start, options as the C++ side spells them)
RUNS = [
    ("beale", "1,1", [1.0, 1.0], {}),
    ("himmelblau", "-1.5,2", [-1.5, 2.0], {"lr": 0.01, "curv_win_width": 5, "sparsity_debias": True}),
    ("saddle", "1,0", [1.0, 0.0], {"lr": 0.01, "curv_win_width": 5, "sparsity_debias": True}),
    ("rastrigin", "0.3,-0.2", [0.3, -0.2], {"lr": 0.01, "beta": 0.9, "curv_win_width": 3,
                                            "force_non_inc_step": True}),
    ("booth", "4,1", [4.0, 1.0], {"mu": 0.3, "beta": 0.95, "auto_clip_fac": 2.0}),
    ("matrix_lsq", "zeros", [0.0] * 12, {"curv_win_width": 3, "stat_protect_fac": 2.0,
                                          "catastrophic_move_thresh": 0.5}),
    ("rosenbrock10", "spread", [0.5, -0.3, 1.1, 0.8, -0.9, 0.2, 1.3, -0.4, 0.6, 0.0],
     {"lr": 0.02, "beta": 0.9, "adapt_clip": False}),
    ("quadratic", "4,1", [4.0, 1.0], {"lr": 0.01, "mu": 0.5, "beta": 0.9, "curv_win_width": 5,
                                      "inf_grad_at": 3}),
]


def load_authors_code(src):
    """yellowfin.py from `src` with the curvature window and the variance accumulator in float64."""
    text = open(os.path.join(src, "yellowfin.py")).read()
    for old, new in [("torch.FloatTensor(self._curv_win_width, 1)", "torch.DoubleTensor(self._curv_win_width, 1)"),
                     ("np.array(0.0, dtype=np.float32)", "np.array(0.0, dtype=np.float64)")]:
        if text.count(new) == 1 and old not in text:
            continue  # patched already
        assert text.count(old) == 1, "unexpected yellowfin.py: %r" % old
        text = text.replace(old, new)
    module = types.ModuleType("yellowfin")
    exec(compile(text, "yellowfin.py", "exec"), module.__dict__)
    return module


def run(yf, fname, start, options, perturb=None):
    options = dict(options)
    inf_at = options.pop("inf_grad_at", None)
    p = torch.tensor(start).reshape(SHAPES.get(fname, (2,))).requires_grad_(True)
    opt = yf.YFOptimizer([p], **options)
    rng = np.random.default_rng(12345) if perturb else None
    rows = [p.detach().reshape(-1).tolist()]
    for step in range(STEPS):
        opt.zero_grad()
        loss = FUNCTIONS[fname](p)
        if step == inf_at:
            loss = loss + math.inf * p.reshape(-1)[0]
        loss.backward()
        if rng is not None:
            signs = torch.from_numpy(rng.choice([-1.0, 1.0], size=p.numel())).reshape(p.shape)
            with torch.no_grad():
                p.grad.mul_(1.0 + signs * perturb)
        it = opt._iter
        opt.step()
        restored = opt._iter != it + 1
        assert restored == (step == inf_at), "step %d: restore %s" % (step, restored)
        rows.append(p.detach().reshape(-1).tolist())
    return rows


def text_of(v):
    return "true" if v is True else "false" if v is False else "%.17g" % v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", required=True, help="folder holding the authors' yellowfin.py")
    args = ap.parse_args()
    yf = load_authors_code(args.src)
    out = ["# The authors' YFOptimizer (YellowFin_Pytorch@b87aed1, float64 patches), written by "
           "yellowfin_reference.py (see there); torch %s." % torch.__version__]
    for fname, label, start, options in RUNS:
        rows = run(yf, fname, start, options)
        moved = run(yf, fname, start, options, perturb=2.0 ** -50)
        score = max(abs(a - b) / (1e-12 + 1e-9 * abs(b)) for ra, rb in zip(moved, rows) for a, b in zip(ra, rb))
        assert score <= 0.05, "%s %s: perturbation score %.3g" % (fname, options, score)
        assert all(math.isfinite(v) for r in rows for v in r), (fname, options)
        out.append(" ".join(["run", fname, "start=" + label] + ["%s=%s" % (k, text_of(v)) for k, v in options.items()]))
        out += [" ".join("%.17g" % v for v in r) for r in rows]
        print("%-12s %-60s perturbation score %.2g" % (fname, options, score))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "yellowfin.txt")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    sys.exit(main())
