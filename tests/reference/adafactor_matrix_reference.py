"""Reference trajectories for adafactor's factored form, which the optimizer oracle does not
cover (its runs are all on 2-vectors).

    /usr/bin/python3 tests/reference/adafactor_matrix_reference.py

implements Adafactor (Shazeer & Stern 2018, "Adafactor: Adaptive Learning Rates with Sublinear
Memory Cost", Algorithm 4, with the choices of Sections 5-7) in NumPy, independently of the C++
code, runs it for 50 steps on matrix_lsq (W is 3x4, f(W) = 0.5*||X W - Y||_F^2 with the
constants of /work/shared/oracle/functions.py) from the three start points of
/work/shared/reference/test_functions.md, and writes tests/reference/adafactor_matrix.txt.
Each run is a line

    run matrix_lsq start=<label> <option>=<value> ...

followed by 51 lines of 12 values (W row-major: the start, then after each step) with 17
significant digits. Every run is also repeated with each gradient perturbed by one part in
2^50; the script fails if a trajectory moves by more than 1% of the test tolerance
(1e-12 + 1e-9|b|), so a correct double-precision implementation reproduces every run to a
relative 1e-9.

The rule (t = 1, 2, ...; RMS(x) = sqrt(mean(x^2))):
    beta2_t = 1 - t^decay_rate
    alpha_t = max(eps2, RMS(W)) * min(1e-2, 1/sqrt(t))   if relative_step, else lr
    G2 = G^2 + eps1
    R = beta2_t*R + (1 - beta2_t)*(row sums of G2)        (3 values)
    C = beta2_t*C + (1 - beta2_t)*(column sums of G2)     (4 values)
    U = G / sqrt(outer(R, C) / sum(R))
    U_hat = U / max(1, RMS(U)/clip_threshold)
    if beta1 != 0:  M = beta1*M + (1 - beta1)*U_hat;  U_hat = M
    W = W - alpha_t*U_hat
"""
import math
import os

import numpy as np

STEPS = 50

# matrix_lsq (written out literally in /work/shared/oracle/functions.py)
X = np.array([[1.0, 0.5, -0.3],
              [0.2, -1.0, 0.4],
              [0.7, 0.1, 1.2],
              [-0.6, 0.9, 0.3],
              [0.4, -0.2, -0.8]])
Y = np.array([[1.0, -1.0, 0.5, 0.0],
              [0.0, 2.0, -0.5, 1.0],
              [0.3, 0.3, 1.0, -1.0],
              [-1.0, 0.5, 0.0, 0.2],
              [0.5, 0.0, -0.7, 0.9]])
STARTS = [("zeros", [0.0] * 12),
          ("ones", [1.0] * 12),
          ("alt", [0.5 * (-1) ** (i // 4 + i % 4) for i in range(12)])]


def grad(W):
    return X.T @ (X @ W - Y)


# The options as the C++ optimizer takes them (the two configurations of the oracle's vector runs).
CONFIGS = [
    {"relative_step": True, "beta1": 0.0, "clip_threshold": 1.0, "decay_rate": -0.8,
     "eps1": 1e-30, "eps2": 1e-3},
    {"lr": 0.05, "relative_step": False, "beta1": 0.9, "clip_threshold": 1.0, "decay_rate": -0.8,
     "eps1": 1e-30, "eps2": 1e-3},
]


def rms(x):
    return math.sqrt(float(np.mean(x * x)))


def run(hp, start, perturb=None):
    W = np.array(start, dtype=np.float64).reshape(3, 4)
    R, C, M = np.zeros(3), np.zeros(4), np.zeros((3, 4))
    rows = [W.reshape(-1).copy()]
    for t in range(1, STEPS + 1):
        G = grad(W)
        if perturb is not None:
            G = G * perturb()
        beta2 = 1.0 - t ** hp["decay_rate"]
        if hp["relative_step"]:
            alpha = max(hp["eps2"], rms(W)) * min(1e-2, 1.0 / math.sqrt(t))
        else:
            alpha = hp["lr"]
        G2 = G * G + hp["eps1"]
        R = beta2 * R + (1.0 - beta2) * G2.sum(axis=1)
        C = beta2 * C + (1.0 - beta2) * G2.sum(axis=0)
        U = G / np.sqrt(np.outer(R, C) / R.sum())
        U = U / max(1.0, rms(U) / hp["clip_threshold"])
        if hp["beta1"] != 0.0:
            M = hp["beta1"] * M + (1.0 - hp["beta1"]) * U
            U = M
        W = W - alpha * U
        rows.append(W.reshape(-1).copy())
    return np.array(rows)


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(float(v))


def main():
    out = ["# adafactor on matrix_lsq, written by adafactor_matrix_reference.py (see there)."]
    rng = np.random.default_rng(2024)
    for hp in CONFIGS:
        for label, start in STARTS:
            rows = run(hp, start)
            pert = run(hp, start, lambda: 1.0 + rng.choice([-1.0, 1.0], size=(3, 4)) * 2.0 ** -50)
            tol = 1e-12 + 1e-9 * np.abs(rows)
            score = float(np.max(np.abs(pert - rows) / tol))
            if not np.all(np.isfinite(rows)) or score > 0.01:
                raise SystemExit("run %s %s is ill-conditioned (score %.3g)" % (hp, label, score))
            print("%-10s %s: perturbation moves it by %.2g of the tolerance" % (label, hp, score))
            opts = " ".join("%s=%s" % (k, fmt(v)) for k, v in hp.items())
            out.append("run matrix_lsq start=%s %s" % (label, opts))
            out += [" ".join("%.17g" % v for v in row) for row in rows]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "adafactor_matrix.txt")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
