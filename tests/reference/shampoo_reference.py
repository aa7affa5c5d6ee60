"""Reference trajectories for shampoo, which the optimizer oracle does not cover.

    /usr/bin/python3 tests/reference/shampoo_reference.py

implements Shampoo (Gupta, Koren & Singer 2018, "Shampoo: Preconditioned Stochastic Tensor
Optimization", arXiv 1802.09568: full-matrix AdaGrad for a vector, Algorithm 1 for a matrix,
Algorithm 2 for an order-3 tensor) in NumPy, independently of the C++ code, runs it for 50
steps and writes tests/reference/shampoo.txt:

  * quadratic and rosenbrock (2-vectors) from the oracle's start points
    (/work/shared/reference/test_functions.md);
  * matrix_lsq (W is 3x4, f(W) = 0.5*||X W - Y||_F^2, constants of
    /work/shared/oracle/functions.py) from its three start points;
  * tensor_quadratic, f(T) = 0.5*||T - A||^2 for a 2x2x3 tensor T, A[i] = (i + 1)*c[i % 3] - 2
    row-major with c = (1, -0.5, 0.25) (not an oracle function: it exercises the order-3 form).

Each run is a line

    run <function> start=<label> <option>=<value> ...

followed by 51 lines of the parameter's values (row-major: the start, then after each step)
with 17 significant digits. Every run is also repeated with each gradient perturbed by one
part in 2^50; the script fails if a trajectory moves by more than 1% of the test tolerance
(1e-12 + 1e-9|b|), so a correct double-precision implementation reproduces every run to a
relative 1e-9.

The rule (order k = number of dimensions; preconditioners start at eps*I):
    g = grad + weight_decay*theta
    vector (k = 1):  H = H + g g^T;            u = H^(-1/2) g
    matrix (k = 2):  L = L + G G^T;  R = R + G^T G;  u = L^(-1/4) G R^(-1/4)
    order 3:         H_i = H_i + G_(i) G_(i)^T (G unfolded along dimension i),
                     u = G x_1 H_1^(-1/6) x_2 H_2^(-1/6) x_3 H_3^(-1/6)
    if momentum != 0:  buf = momentum*buf + u;  u = buf
    theta = theta - lr*u
Matrix powers by eigendecomposition: H^p = Q diag(w^p) Q^T with w, Q = numpy.linalg.eigh(H).
"""
import os

import numpy as np

STEPS = 50

LSQ_X = np.array([[1.0, 0.5, -0.3],
                  [0.2, -1.0, 0.4],
                  [0.7, 0.1, 1.2],
                  [-0.6, 0.9, 0.3],
                  [0.4, -0.2, -0.8]])
LSQ_Y = np.array([[1.0, -1.0, 0.5, 0.0],
                  [0.0, 2.0, -0.5, 1.0],
                  [0.3, 0.3, 1.0, -1.0],
                  [-1.0, 0.5, 0.0, 0.2],
                  [0.5, 0.0, -0.7, 0.9]])
TENSOR_A = np.arange(1.0, 13.0).reshape(2, 2, 3) * np.array([1.0, -0.5, 0.25]) - 2.0


def quadratic_g(p):
    x, y = p
    return np.array([2.0 * (x - 3.0), 2.0 * (y + 2.0)])


def rosenbrock_g(p):
    x, y = p
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x ** 2), 200.0 * (y - x ** 2)])


def matrix_lsq_g(W):
    return LSQ_X.T @ (LSQ_X @ W - LSQ_Y)


def tensor_quadratic_g(T):
    return T - TENSOR_A


def xy(x, y):
    return ("%g,%g" % (x, y), np.array([x, y]))


FUNCTIONS = {
    "quadratic": (quadratic_g, [xy(0.0, 0.0), xy(-1.5, 2.0), xy(4.0, 1.0)]),
    "rosenbrock": (rosenbrock_g, [xy(0.0, 0.0), xy(-1.5, 2.0), xy(-1.2, 1.0)]),
    "matrix_lsq": (matrix_lsq_g, [("zeros", np.zeros((3, 4))), ("ones", np.ones((3, 4))),
                                  ("alt", np.array([0.5 * (-1) ** (i // 4 + i % 4)
                                                    for i in range(12)]).reshape(3, 4))]),
    "tensor_quadratic": (tensor_quadratic_g, [("zeros", np.zeros((2, 2, 3)))]),
}

# Per function, the options of each run (eps = 1e-4 is the default). Shampoo's first steps
# have length about lr whatever the gradient, and with a small eps a direction the gradients
# have not yet explored amplifies rounding errors; these runs were chosen well-conditioned.
CONFIGS = {
    "quadratic": [{"lr": 0.5, "eps": 1.0},
                  {"lr": 0.2, "eps": 0.1, "momentum": 0.9, "weight_decay": 0.01}],
    "rosenbrock": [{"lr": 0.1, "eps": 1e-4},
                   {"lr": 0.02, "eps": 1.0, "momentum": 0.9}],
    "matrix_lsq": [{"lr": 0.05, "eps": 1e-4},
                   {"lr": 0.1, "eps": 0.1, "momentum": 0.9, "weight_decay": 0.1}],
    "tensor_quadratic": [{"lr": 0.2, "eps": 1e-4}],
}


def matrix_power(H, p):
    w, Q = np.linalg.eigh(H)
    return (Q * w ** p) @ Q.T


def run(grad, start, hp, perturb=None):
    theta = np.array(start, dtype=np.float64)
    k = theta.ndim
    lr, eps = hp["lr"], hp["eps"]
    mu, wd = hp.get("momentum", 0.0), hp.get("weight_decay", 0.0)
    H = [eps * np.eye(n) for n in theta.shape]
    buf = np.zeros_like(theta)
    rows = [theta.reshape(-1).copy()]
    for _ in range(STEPS):
        g = grad(theta)
        if perturb is not None:
            g = g * perturb(g.shape)
        g = g + wd * theta
        if k == 1:
            H[0] = H[0] + np.outer(g, g)
            u = matrix_power(H[0], -0.5) @ g
        elif k == 2:
            H[0] = H[0] + g @ g.T
            H[1] = H[1] + g.T @ g
            u = matrix_power(H[0], -0.25) @ g @ matrix_power(H[1], -0.25)
        else:
            u = g
            for i in range(k):
                gi = np.moveaxis(g, i, 0).reshape(g.shape[i], -1)
                H[i] = H[i] + gi @ gi.T
                # u x_i M: contract dimension i of u with the columns of M
                u = np.moveaxis(np.tensordot(matrix_power(H[i], -1.0 / (2 * k)), u, axes=([1], [i])), 0, i)
        if mu != 0.0:
            buf = mu * buf + u
            u = buf
        theta = theta - lr * u
        rows.append(theta.reshape(-1).copy())
    return np.array(rows)


def main():
    out = ["# shampoo reference trajectories, written by shampoo_reference.py (see there)."]
    rng = np.random.default_rng(1802)
    for fname, (grad, starts) in FUNCTIONS.items():
        for hp in CONFIGS[fname]:
            for label, start in starts:
                rows = run(grad, start, hp)
                pert = run(grad, start, hp, lambda shape: 1.0 + rng.choice([-1.0, 1.0], size=shape) * 2.0 ** -50)
                score = float(np.max(np.abs(pert - rows) / (1e-12 + 1e-9 * np.abs(rows))))
                if not np.all(np.isfinite(rows)) or score > 0.01:
                    raise SystemExit("run %s %s %s is ill-conditioned (score %.3g)" % (fname, label, hp, score))
                print("%-16s %-9s %s: perturbation moves it by %.2g of the tolerance, end %s"
                      % (fname, label, hp, score, np.array2string(rows[-1][:4], precision=4)))
                opts = " ".join("%s=%r" % (k, float(v)) for k, v in hp.items())
                out.append("run %s start=%s %s" % (fname, label, opts))
                out += [" ".join("%.17g" % v for v in row) for row in rows]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shampoo.txt")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
