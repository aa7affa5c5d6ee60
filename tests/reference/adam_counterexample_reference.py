"""Independent check of the numbers examples/adam_counterexample prints
(docs/examples/adam_counterexample.md).

    build/examples/adam_counterexample out > adam_counterexample.txt
    /usr/bin/python3 tests/reference/adam_counterexample_reference.py adam_counterexample.txt

1. The online problem (10^5 steps) with PyTorch's own torch.optim.Adam (amsgrad False and True),
   torch.optim.lr_scheduler.LambdaLR and a clamp_ under torch.no_grad(); amsgrad_nobc2, which
   PyTorch does not have, with the rule written out in float64 NumPy (the same code, with the
   maximum of v and without the correction of v, is checked against torch's Adam runs first).
2. The stochastic problem (10^7 steps, seeds 0, 1, 2) with that NumPy code, every run side by
   side in one vectorised loop (PyTorch would take hours); the draws with np.random.seed(seed)
   and np.random.uniform(0, 1, 10**7).

It prints every line of the example's tables from these runs, with the example's formats, and
checks that the example printed the same line: one PASS or FAIL per line; the exit status is 1
if any fails. Add --seeds N to also print (not check) the stochastic problem for seeds 0..N-1.
It takes about half an hour (longer with more seeds), almost all of it the 10^7 NumPy steps.
"""
import math
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
EPS = 1e-8


# ---- 1. The online problem -------------------------------------------------------------------
C, ALPHA, STEPS, CYCLE = 3.0, 0.5, 100000, 99997
BETA2 = 1.0 / (1.0 + C * C)


def coefficient(t):
    return C if t % 3 == 1 else -1.0


def torch_run(amsgrad, start, steps=STEPS):
    x = torch.full((1,), start, requires_grad=True)
    opt = torch.optim.Adam([x], lr=ALPHA, betas=(0.0, BETA2), eps=EPS, amsgrad=amsgrad)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0 / math.sqrt(e + 1))
    xs, regret, total, lr_eff = [], [], 0.0, []
    for t in range(1, steps + 1):
        xt, c = x.item(), coefficient(t)
        xs.append(xt)
        total += c * (xt + 1.0)
        regret.append(total / t)
        opt.zero_grad()
        (x * c).sum().backward()
        opt.step()
        sched.step()
        if CYCLE <= t < CYCLE + 3:
            lr_eff.append((xt - x.item()) / c)
        with torch.no_grad():
            x.clamp_(-1.0, 1.0)
    return xs, regret, lr_eff


class NumpyRuns:
    """Several runs at once, one per column: PyTorch 1.13's Adam update in float64, in its order
    of operations; `amsgrad` divides by the running maximum of v, `correct_v` by sqrt(1 - beta2^t)."""

    def __init__(self, n, beta1, beta2, alpha, amsgrad, correct_v, start):
        self.beta1, self.beta2, self.alpha = beta1, beta2, alpha
        self.amsgrad, self.correct_v = np.array(amsgrad), np.array(correct_v)
        self.x = np.full(n, start, dtype=float)
        self.m, self.v, self.vmax = np.zeros(n), np.zeros(n), np.zeros(n)

    def step(self, t, g):
        b1, b2 = self.beta1, self.beta2
        lr = self.alpha * (1.0 / math.sqrt(t))
        self.m = self.m * b1 + g * (1 - b1)
        self.v = self.v * b2 + (g * g) * (1 - b2)
        self.vmax = np.maximum(self.vmax, self.v)
        u = np.where(self.amsgrad, self.vmax, self.v)
        bc2 = np.where(self.correct_v, math.sqrt(1 - b2**t), 1.0)
        denom = np.sqrt(u) / bc2 + EPS
        before = self.x.copy()
        self.x = self.x - (lr / (1 - b1**t)) * (self.m / denom)
        moved = before - self.x
        self.x = np.clip(self.x, -1.0, 1.0)
        return moved


def numpy_online(start):
    # columns: Adam, Adam(amsgrad=true), amsgrad_nobc2
    runs = NumpyRuns(3, 0.0, BETA2, ALPHA, [False, True, True], [True, True, False], start)
    xs, regret, total, lr_eff = [], [], np.zeros(3), []
    for t in range(1, STEPS + 1):
        c = coefficient(t)
        xs.append(runs.x.copy())
        total += c * (runs.x + 1.0)
        regret.append(total / t)
        moved = runs.step(t, c)
        if CYCLE <= t < CYCLE + 3:
            lr_eff.append(moved / c)
    return np.array(xs), np.array(regret), np.array(lr_eff)


expected, notes = [], []
AT = [10, 100, 1000, 10000, 100000]


def row(name, xs, regret):
    return (f"   {name:<28}" + "".join(f" {xs[t - 1]:+8.5f}" for t in AT) + "   "
            + "".join(f" {regret[t - 1]:8.5f}" for t in AT))


print("online problem: PyTorch runs ...", flush=True)
adam = torch_run(False, 0.0)
ams = torch_run(True, 0.0)
adam_opt = torch_run(False, -1.0)
np_xs, np_regret, np_lr = numpy_online(0.0)
for k, (name, run) in enumerate([("Adam", adam), ("Adam(amsgrad=true)", ams)]):
    diff = np.max(np.abs(np.array(run[0]) - np_xs[:, k]))
    notes.append(f"NumPy code against torch.optim.Adam, {name}: largest difference of x_t over 10^5 steps {diff:.3g}")
expected.append(row("Adam", *adam[:2]))
expected.append(row("Adam(amsgrad=true)", *ams[:2]))
expected.append(row("amsgrad_nobc2", np_xs[:, 2], np_regret[:, 2]))
expected.append(row("Adam, from x_1 = -1", *adam_opt[:2]))
a, b = np.array(ams[0]), np_xs[:, 2]
k = len(a)
while k > 0 and abs(a[k - 1] - b[k - 1]) <= 1e-12:
    k -= 1
expected.append(f"Adam(amsgrad=true) and amsgrad_nobc2 play the same x_t (to 1e-12) from step {k + 1} on.")
lr_tables = [adam[2], ams[2], list(np_lr[:, 2])]
for name, lrs in zip(["Adam", "Adam(amsgrad=true)", "amsgrad_nobc2"], lr_tables):
    line, net = f"   {name:<28}", 0.0
    for j in range(3):
        lr_t = ALPHA / math.sqrt(CYCLE + j)
        ratio = lrs[j] / lr_t
        move = -coefficient(CYCLE + j) * ratio
        net += move
        line += f"  {ratio:.4f} ({move:+.4f})"
    expected.append(line + f"   net {net:+.4f} per cycle")


# ---- 2. The stochastic problem ---------------------------------------------------------------
T, EVERY = 10**7, 20000
EXPECTED = 0.01 * 1010.0 + 0.99 * -10.0
seeds_to_print = 3
if "--seeds" in sys.argv:
    seeds_to_print = int(sys.argv[sys.argv.index("--seeds") + 1])
    sys.argv[sys.argv.index("--seeds"):sys.argv.index("--seeds") + 2] = []
seeds = list(range(max(3, seeds_to_print)))
# columns: every seed with Adam and Adam(amsgrad=true), then amsgrad_nobc2 for seed 0
cols = [(s, "Adam") for s in seeds] + [(s, "Adam(amsgrad=true)") for s in seeds] + [(0, "amsgrad_nobc2")]
large = np.empty((len(seeds), T), dtype=bool)
for s in seeds:
    np.random.seed(s)
    large[s] = np.random.uniform(0, 1, T) < 0.01
col_seed = np.array([s for s, _ in cols])
runs = NumpyRuns(len(cols), 0.9, 0.99, 1.0, [n != "Adam" for _, n in cols], [n != "amsgrad_nobc2" for _, n in cols], 0.0)


def log_spaced(last):
    ts = []
    for t in range(1, last + 1, 3):
        if t < 300 or t >= 1.015 * ts[-1]:
            ts.append(t)
    return ts


record = sorted(set(log_spaced(T)) | set(range(EVERY, T + 1, EVERY)) | {10**k for k in range(1, 8)})
record_set = set(record)
rec_x, rec_regret = {}, {}
total, tail = np.zeros(len(cols)), np.zeros(len(cols))
print(f"stochastic problem: {len(cols)} NumPy runs of 10^7 steps side by side ...", flush=True)
for t in range(1, T + 1):
    x = runs.x
    total += EXPECTED * (x + 1.0)
    if t > T - T // 10:
        tail += x
    if t in record_set:
        rec_x[t], rec_regret[t] = x.copy(), total / t
    runs.step(t, np.where(large[col_seed, t - 1], 1010.0, -10.0))
    if t % 1000000 == 0:
        print(f"  {t // 1000000} / 10 million steps", flush=True)
tail /= T // 10

printed = []
for s in seeds:
    for name in ["Adam", "Adam(amsgrad=true)", "amsgrad_nobc2"]:
        if (s, name) not in cols:
            continue
        j = cols.index((s, name))
        line = f"   {s:<5} {name:<19}" + "".join(f" {rec_x[10**k][j]:+8.4f}" for k in range(3, 8))
        line += f"   {tail[j]:+8.4f}   " + "".join(f" {rec_regret[10**k][j]:7.4f}" for k in range(4, 8))
        (expected if s < 3 else printed).append(line)
    count = f"({int(large[s].sum())} of the 10^7 gradients are 1010)"
    (expected if s < 3 else printed).append(count)
a, b = cols.index((0, "Adam(amsgrad=true)")), cols.index((0, "amsgrad_nobc2"))
k = len(record)
while k > 0 and abs(rec_x[record[k - 1]][a] - rec_x[record[k - 1]][b]) <= 1e-12:
    k -= 1
expected.append(f"   from {record[k]} on.")

text = open(sys.argv[1]).read() if len(sys.argv) > 1 else ""
failed = 0
for line in expected:
    ok = line in text
    failed += not ok
    print(("PASS " if ok else "FAIL ") + line.strip())
for line in notes:
    print("NOTE " + line)
for line in printed:
    print("MORE " + line.strip())
print(f"{len(expected) - failed} of {len(expected)} lines as the example printed them")
sys.exit(1 if failed else 0)
