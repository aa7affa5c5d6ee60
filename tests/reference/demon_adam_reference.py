"""Reference trajectories for demon_adam, which the optimizer oracle does not cover.

    /usr/bin/python3 tests/reference/demon_adam_reference.py

implements Demon Adam (Chen, Wolfe, Li & Kyrillidis, "Demon: Improved Neural Network Training
with Momentum Decay", arXiv 1910.04952, Algorithm 2) in NumPy, independently of the C++ code,
runs it for 50 steps on the oracle's four test functions from the oracle's start points, and
writes tests/reference/demon_adam.txt. Each run is a line

    run <function> start=<x>,<y> lr=... beta_init=... beta2=... eps=... T=...

followed by 51 lines "x y" (the start, then the parameter after each step) with 17 significant
digits. Runs whose trajectory moves by more than 1% of the test tolerance (1e-12 + 1e-9|b|)
when every gradient is perturbed by one part in 2^50 are left out, as in the oracle, so a
correct double-precision implementation reproduces every run to a relative 1e-9.

The rule (t = 1, 2, ...; k = t - 1 is Algorithm 2's zero-based step):
    beta_k = beta_init*(1 - k/T) / ((1 - beta_init) + beta_init*(1 - k/T))   (0 for k >= T)
    m = g + beta_k*m                       (Algorithm 2's sum form: no (1 - beta) factor)
    v = beta2*v + (1 - beta2)*g^2
    v_hat = v / (1 - beta2^t)              (Adam's correction of v; m is not corrected)
    theta = theta - lr*m / (sqrt(v_hat) + eps)
Algorithm 2 writes the update with m_hat and v_hat without defining them; include/tapegrad/
optim/demon_adam.hpp explains the reading used here.
"""
import os

import numpy as np

STEPS = 50

FUNCTIONS = {
    "quadratic": (lambda x, y: np.array([2.0 * (x - 3.0), 2.0 * (y + 2.0)]),
                  [(0.0, 0.0), (-1.5, 2.0), (4.0, 1.0)]),
    "ravine": (lambda x, y: np.array([2.0 * x, 20.0 * y]),
               [(1.0, 1.0), (-1.5, 2.0), (4.0, 1.0)]),
    "rosenbrock": (lambda x, y: np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)]),
                   [(0.0, 0.0), (-1.5, 2.0), (-1.2, 1.0)]),
    "saddle": (lambda x, y: np.array([2.0 * x, -2.0 * y]),
               [(1.0, 0.001), (-1.5, 2.0), (4.0, 1.0)]),
}

# lr per function (the Adam-like step is about lr per coordinate), then the other options.
CONFIGS = [
    ({"quadratic": 0.05, "ravine": 0.01, "rosenbrock": 0.002, "saddle": 0.01},
     {"beta_init": 0.9, "beta2": 0.999, "eps": 1e-8, "T": 50}),
    ({"quadratic": 0.02, "ravine": 0.005, "rosenbrock": 0.001, "saddle": 0.005},
     {"beta_init": 0.95, "beta2": 0.99, "eps": 1e-3, "T": 20}),  # T < 50: beta is 0 after T
]


def demon_beta(beta_init, k, T):
    if k >= T:
        return 0.0
    frac = 1.0 - k / T
    return beta_init * frac / ((1.0 - beta_init) + beta_init * frac)


def run(grad, start, hp, perturb=None):
    p = np.array(start, dtype=np.float64)
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    rows = [p.copy()]
    for t in range(1, STEPS + 1):
        g = grad(*p)
        if perturb is not None:
            g = g * perturb()
        beta = demon_beta(hp["beta_init"], t - 1, hp["T"])
        m = g + beta * m
        v = hp["beta2"] * v + (1.0 - hp["beta2"]) * g * g
        v_hat = v / (1.0 - hp["beta2"] ** t)
        p = p - hp["lr"] * m / (np.sqrt(v_hat) + hp["eps"])
        rows.append(p.copy())
    return np.array(rows)


def fmt(v):
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demon_adam.txt")
    lines = ["# demon_adam reference trajectories, written by demon_adam_reference.py (see there)."]
    kept = dropped = 0
    for lrs, options in CONFIGS:
        for name, (grad, starts) in FUNCTIONS.items():
            hp = dict(options, lr=lrs[name])
            for start in starts:
                rows = run(grad, start, hp)
                rng = np.random.default_rng(12345)
                pert = run(grad, start, hp, lambda: 1.0 + rng.choice([-1.0, 1.0], size=2) * 2.0 ** -50)
                score = np.max(np.abs(pert - rows) / (1e-12 + 1e-9 * np.abs(rows)))
                if not np.all(np.isfinite(rows)) or score > 1e-2:
                    print("dropped %s from %s: sensitivity score %.3g" % (name, start, score))
                    dropped += 1
                    continue
                lines.append("run %s start=%s,%s lr=%s beta_init=%s beta2=%s eps=%s T=%d" % (
                    name, fmt(start[0]), fmt(start[1]), fmt(hp["lr"]), fmt(hp["beta_init"]),
                    fmt(hp["beta2"]), fmt(hp["eps"]), hp["T"]))
                lines.extend("%.17g %.17g" % (x, y) for x, y in rows)
                kept += 1
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s: %d runs (%d dropped)" % (os.path.relpath(out), kept, dropped))


if __name__ == "__main__":
    main()
