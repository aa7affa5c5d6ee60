"""Independent check of the numbers examples/gradient_noise prints (docs/examples/gradient_noise.md).

    build/examples/gradient_noise out > gradient_noise.txt
    /usr/bin/python3 tests/reference/gradient_noise_reference.py gradient_noise.txt

recomputes every number of the example without tapegrad, in float64 NumPy: the gradients of the
MSE from the formula 2(x.w + b - y)[x, 1], the saddle's and the slope's gradients by hand, and the
same random draws (tapegrad's generator is NumPy's legacy RandomState: a shuffled DataLoader with
seed s visits the rows of epoch e in the e-th RandomState(s).permutation(N), randint and randperm
are RandomState's). It then reads the example's output and prints one line per number, PASS or
FAIL; the exit status is 1 if any fails.
"""
import math
import os
import re
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
failures = 0


def check(name, expected, printed, tolerance):
    """PASS when the printed value is within `tolerance` of the recomputed one."""
    global failures
    ok = abs(expected - printed) <= tolerance
    failures += not ok
    print(f"{'PASS' if ok else 'FAIL'} {name}: recomputed {expected:.6g}, printed {printed:.6g}")


def numbers(line):
    return [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[-+]\d+)?", line)]


def line_after(text, pattern):
    m = re.search(pattern, text, re.M)
    if not m:
        print(f"FAIL: no line matching {pattern!r} in the output")
        sys.exit(1)
    return m


# ---------------------------------------------------------------------------------------------
# 1. The variance of the mini-batch gradient on diabetes.
def variance_part(text):
    D = np.loadtxt(os.path.join(ROOT, "data", "diabetes.csv"), delimiter=",", skiprows=1)
    X, y = D[:, :10], D[:, 10]
    X = (X - X.mean(0)) / X.std(0)
    y = (y - y.mean()) / y.std()
    N = len(y)
    # At w = 0, b = 0 the residual is -y; row i's gradient is 2 r_i [x_i, 1].
    G = 2 * (-y)[:, None] * np.hstack([X, np.ones((N, 1))])
    g = G.mean(0)
    sigma2 = ((G - g) ** 2).sum(1).mean()
    m = line_after(text, r"\|g\|\^2 = ([0-9.]+); .* = ([0-9.]+)$")
    check("|g|^2", g @ g, float(m.group(1)), 5e-5)
    check("sigma^2", sigma2, float(m.group(2)), 5e-5)

    K = 4000
    logs = {"B": [], "without": [], "with": [], "formula": []}
    for B in [1, 2, 4, 8, 16, 32, 64, 128, 256]:
        rs = np.random.RandomState(0)
        without = []
        while len(without) < K:
            p = rs.permutation(N)
            for j in range(N // B):
                without.append(((G[p[j * B:(j + 1) * B]].mean(0) - g) ** 2).sum())
                if len(without) == K:
                    break
        rows = np.random.RandomState(0).randint(0, N, size=K * B).reshape(K, B)
        with_ = ((G[rows].mean(1) - g) ** 2).sum(1)
        w_o, w_r = np.mean(without), np.mean(with_)
        f_o, f_r = sigma2 / B * (N - B) / (N - 1), sigma2 / B
        printed = numbers(line_after(text, rf"^ +{B} \|.*$").group(0))
        check(f"B = {B}: without replacement, measured", w_o, printed[1], 5e-5 + 1e-6 * w_o)
        check(f"B = {B}: formula sigma^2/B (N-B)/(N-1)", f_o, printed[2], 5e-6)
        check(f"B = {B}: with replacement, measured", w_r, printed[4], 5e-5 + 1e-6 * w_r)
        check(f"B = {B}: formula sigma^2/B", f_r, printed[5], 5e-6)
        logs["B"].append(math.log2(B))
        logs["without"].append(math.log2(w_o / sigma2))
        logs["with"].append(math.log2(w_r / sigma2))
        logs["formula"].append(math.log2(f_o / sigma2))
    slope = lambda ys: np.polyfit(logs["B"], ys, 1)[0]
    m = line_after(text, r"without replacement: measured (-[0-9.]+), formula (-[0-9.]+)")
    check("slope without replacement, measured", slope(logs["without"]), float(m.group(1)), 5e-4)
    check("slope without replacement, formula", slope(logs["formula"]), float(m.group(2)), 5e-4)
    m = line_after(text, r"with replacement: +measured (-[0-9.]+), formula -1")
    check("slope with replacement, measured", slope(logs["with"]), float(m.group(1)), 5e-4)
    m = line_after(text, r"-1 - B/\(N-B\): (-[0-9.]+) at B = 16, (-[0-9.]+) at B = 256")
    check("local slope at B = 16", -1 - 16 / (N - 16), float(m.group(1)), 5e-4)
    check("local slope at B = 256", -1 - 256 / (N - 256), float(m.group(2)), 5e-4)


# ---------------------------------------------------------------------------------------------
# 2. The saddle made of 128 rows.
def saddle_part(text):
    z = np.round(np.random.RandomState(0).standard_normal(128) * 1024) / 1024
    a = np.r_[z[:64], -z[:64]]
    b = np.r_[z[64:], -z[64:]]
    N = 128
    assert a.sum() == 0 and b.sum() == 0
    m = line_after(text, r"\(c = (-?[0-9.]+)\);")
    check("c = mean a^2 - mean b^2", (a * a).mean() - (b * b).mean(), float(m.group(1)), 5e-7)
    m = line_after(text, r"sd of the b_i: ([0-9.]+)")
    check("sd of the b_i", b.std(), float(m.group(1)), 5e-5)

    def descend(B, seed, start, max_steps):
        rs = np.random.RandomState(seed)
        x, y = start
        step = 0
        while step < max_steps:
            p = rs.permutation(N)
            for j in range(N // B):
                rows = p[j * B:(j + 1) * B]
                gx, gy = 2 * (x - a[rows]).mean(), -2 * (y - b[rows]).mean()
                x, y = x - 0.1 * gx, y - 0.1 * gy
                step += 1
                if abs(y) > 1:
                    return step, (x, y)
                if step == max_steps:
                    break
        return -1, (x, y)

    _, (x, y) = descend(N, 0, (1.0, 0.0), 200)
    m = line_after(text, r"200 steps from \(1, 0\): \(x, y\) = \(([-0-9.e]+), ([-0-9.e]+)\)")
    check("full batch: y after 200 steps (exactly 0)", y, float(m.group(2)), 0)
    check("full batch: x after 200 steps (below 1e-15)", 0, float(m.group(1)), 1e-15)
    steps, _ = descend(N, 0, (1.0, 1e-3), 300)
    m = line_after(text, r"\|y\| > 1 at step (\d+) ")
    check("full batch from (1, 0.001): escape step", steps, float(m.group(1)), 0)
    for B in [1, 4, 16, 64, 128]:
        found = [s for s in (descend(B, seed, (1.0, 0.0), 300)[0] for seed in range(100)) if s > 0]
        printed = numbers(line_after(text, rf"^ +{B} +[0-9.]+ +\d+/100.*$").group(0))
        sd = b.std() * math.sqrt((N - B) / (B * (N - 1)))
        check(f"B = {B}: sd of b_B", sd, printed[1], 5e-5)
        check(f"B = {B}: runs that leave", len(found), printed[2], 0)
        if found:
            check(f"B = {B}: median step", float(np.median(found)), printed[4], 0)
            check(f"B = {B}: fastest", min(found), printed[5], 0)
            check(f"B = {B}: slowest", max(found), printed[6], 0)


# ---------------------------------------------------------------------------------------------
# 3. Momentum as a low-pass filter on a gentle slope.
def low_pass_part(text):
    noise = np.random.RandomState(1).standard_normal((1000, 2))
    noise = noise - noise.mean(0)
    C = noise + np.array([-0.2, 0.0])
    row_var = (noise ** 2).mean(0)
    shrink = (1000 - 4) / (4 * 999)
    m = line_after(text, r"variance per coordinate ([0-9.]+), ([0-9.]+)")
    check("batch gradient variance, x", row_var[0] * shrink, float(m.group(1)), 5e-5)
    check("batch gradient variance, y", row_var[1] * shrink, float(m.group(2)), 5e-5)

    def batches(seed, count):
        rs = np.random.RandomState(seed)
        return np.array([C[rs.permutation(1000)[:4]].mean(0) for _ in range(count)])

    def steps(G, beta):
        v = np.zeros(2)
        out = np.empty_like(G)
        for t, g in enumerate(G):
            if beta == 0:
                out[t] = -0.1 * g
            else:
                v = beta * v + (1 - beta) * g
                out[t] = -0.1 * v
        return out

    G = batches(2, 20000)
    sgd_var = None
    names = {0: "SGD(lr=0.1)", 0.5: "momentum_ema(lr=0.1, beta=0.5)", 0.9: "momentum_ema(lr=0.1, beta=0.9)",
             0.99: "momentum_ema(lr=0.1, beta=0.99)"}
    for beta in [0, 0.5, 0.9, 0.99]:
        S = steps(G, beta)[1000:]
        var = ((S - S.mean(0)) ** 2).sum(1).mean()
        sgd_var = var if beta == 0 else sgd_var
        printed = numbers(line_after(text, rf"^ +{re.escape(names[beta])} +\(.*%$").group(0).split(")", 1)[1])
        check(f"beta {beta}: mean step x", S[:, 0].mean(), printed[0], 5e-6)
        check(f"beta {beta}: variance of the step", var, printed[2], 5e-4 * var)
        check(f"beta {beta}: ratio to SGD", var / sgd_var, printed[3], 5e-5)
        check(f"beta {beta}: uphill %", 100 * (S[:, 0] < 0).mean(), printed[5], 0.05)

    for beta in [0, 0.9]:
        ends, length = [], 0.0
        for r in range(200):
            S = steps(batches(3 + r, 200), beta)
            ends.append(S.sum(0))
            length += np.hypot(S[:, 0], S[:, 1]).sum()
        ends = np.array(ends)
        w = 1 - beta ** np.arange(1, 201)
        printed = numbers(line_after(text, rf"^ +{re.escape(names[beta])} +[0-9.]+ \(.*$").group(0).split(")", 1)[1])
        check(f"beta {beta}: end x mean", ends[:, 0].mean(), printed[0], 5e-4)
        check(f"beta {beta}: end x mean, theory", 0.02 * w.sum(), printed[1], 5e-4)
        check(f"beta {beta}: end x sd", ends[:, 0].std(), printed[2], 5e-4)
        check(f"beta {beta}: end x sd, theory", 0.1 * math.sqrt(row_var[0] * shrink * (w * w).sum()), printed[3], 5e-4)
        check(f"beta {beta}: end y sd", ends[:, 1].std(), printed[4], 5e-4)
        check(f"beta {beta}: end y sd, theory", 0.1 * math.sqrt(row_var[1] * shrink * (w * w).sum()), printed[5], 5e-4)
        check(f"beta {beta}: path length", length / 200, printed[6], 5e-4)
        check(f"beta {beta}: distance", np.hypot(ends[:, 0], ends[:, 1]).mean(), printed[7], 5e-4)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    with open(sys.argv[1]) as f:
        output = f.read()
    variance_part(output)
    saddle_part(output)
    low_pass_part(output)
    print("all numbers agree" if failures == 0 else f"{failures} numbers differ")
    sys.exit(1 if failures else 0)
