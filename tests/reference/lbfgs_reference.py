"""Reference runs of torch.optim.LBFGS (PyTorch 1.13, Debian's python3-torch) for lbfgs.

    /usr/bin/python3 tests/reference/lbfgs_reference.py

runs torch.optim.LBFGS in float64 (gradients by autograd) for a few step(closure) calls on
rosenbrock from (-1.2, 1) and on matrix_lsq (W is 3x4, f(W) = 0.5*||X W - Y||_F^2 with the
constants of /work/shared/oracle/functions.py) from its start points, with and without the
strong Wolfe line search, and writes tests/reference/lbfgs.txt. Each run is a line

    run <function> start=<label> <option>=<value> ...

followed by one line per step() call, the first for the start:

    <closure calls so far> <the parameter's values, row-major, 17 significant digits>

Every run is also repeated with each gradient perturbed by one part in 2^50; the script fails
if that changes a closure count or moves a value by more than 1% of the test tolerance
(1e-12 + 1e-9|b|), so a faithful double-precision port reproduces every run to a relative
1e-9, with the same counts.
"""
import os

import numpy as np
import torch

STEPS = 4  # step() calls per run

LSQ_X = [[1.0, 0.5, -0.3],
         [0.2, -1.0, 0.4],
         [0.7, 0.1, 1.2],
         [-0.6, 0.9, 0.3],
         [0.4, -0.2, -0.8]]
LSQ_Y = [[1.0, -1.0, 0.5, 0.0],
         [0.0, 2.0, -0.5, 1.0],
         [0.3, 0.3, 1.0, -1.0],
         [-1.0, 0.5, 0.0, 0.2],
         [0.5, 0.0, -0.7, 0.9]]


def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def matrix_lsq(W):
    X = torch.tensor(LSQ_X, dtype=torch.float64)
    Y = torch.tensor(LSQ_Y, dtype=torch.float64)
    return 0.5 * ((X @ W - Y) ** 2).sum()


FUNCTIONS = {
    "rosenbrock": (rosenbrock, [("-1.2,1", [-1.2, 1.0])]),
    "matrix_lsq": (matrix_lsq, [("zeros", np.zeros((3, 4))), ("ones", np.ones((3, 4))),
                                ("alt", np.array([0.5 * (-1) ** (i // 4 + i % 4)
                                                  for i in range(12)]).reshape(3, 4))]),
}

# Per function, the options of each run (the rest are torch's defaults).
CONFIGS = {
    "rosenbrock": [{"lr": 0.1},
                   {"line_search_fn": "strong_wolfe"},
                   {"max_iter": 6, "history_size": 2, "line_search_fn": "strong_wolfe"}],
    "matrix_lsq": [{},
                   {"lr": 0.5, "max_iter": 5},
                   {"max_iter": 4, "line_search_fn": "strong_wolfe"},
                   {"max_iter": 6, "history_size": 2, "line_search_fn": "strong_wolfe"}],
}


def run(f, start, options, rng=None):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([p], **options)
    calls = 0

    def closure():
        nonlocal calls
        calls += 1
        opt.zero_grad()
        loss = f(p)
        loss.backward()
        if rng is not None:
            p.grad.mul_(torch.from_numpy(1.0 + rng.choice([-1.0, 1.0], size=p.shape) * 2.0 ** -50))
        return loss

    rows = [(0, p.detach().reshape(-1).numpy().copy())]
    for _ in range(STEPS):
        opt.step(closure)
        assert opt.state[p]["func_evals"] == calls
        rows.append((calls, p.detach().reshape(-1).numpy().copy()))
    return rows


def main():
    torch.set_default_dtype(torch.float64)
    out = ["# torch.optim.LBFGS reference runs, written by lbfgs_reference.py (see there); torch %s."
           % torch.__version__]
    rng = np.random.default_rng(113)
    for fname, (f, starts) in FUNCTIONS.items():
        for options in CONFIGS[fname]:
            for label, start in starts:
                rows = run(f, start, options)
                pert = run(f, start, options, rng)
                values = np.array([r[1] for r in rows])
                pvalues = np.array([r[1] for r in pert])
                score = float(np.max(np.abs(pvalues - values) / (1e-12 + 1e-9 * np.abs(values))))
                counts, pcounts = [r[0] for r in rows], [r[0] for r in pert]
                if not np.all(np.isfinite(values)) or score > 0.01 or counts != pcounts:
                    raise SystemExit("run %s %s %s is ill-conditioned (score %.3g, counts %s vs %s)"
                                     % (fname, label, options, score, counts, pcounts))
                print("%-10s %-7s %s: counts %s, perturbation moves it by %.2g of the tolerance, end %s"
                      % (fname, label, options, counts, score, np.array2string(values[-1][:4], precision=6)))
                opts = " ".join("%s=%s" % (k, v) for k, v in options.items())
                out.append(("run %s start=%s %s" % (fname, label, opts)).rstrip())
                out += ["%d %s" % (n, " ".join("%.17g" % v for v in x)) for n, x in rows]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lbfgs.txt")
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
