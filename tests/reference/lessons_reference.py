"""Independent check of the numbers examples/one_lr_two_curvatures and examples/lesson_claims
print (docs/examples/one_lr_two_curvatures.md, docs/examples/lesson_claims.md).

    build/examples/one_lr_two_curvatures out > one_lr.txt
    build/examples/lesson_claims out > claims.txt
    /usr/bin/python3 tests/reference/lessons_reference.py one_lr.txt claims.txt

computes the numbers again without tapegrad: plain gradient descent on x^2 + 15y^2 and the
single neuron in float64 NumPy, and every other run with PyTorch 1.13's own optimizers
(torch.optim.SGD with parameter groups, Adagrad, RMSprop, Adam, AdamW) and learning-rate
rule (lr/(1 + 0.01 e), written out per epoch), in float64. It then reads the examples' output
and prints one line per number, PASS or FAIL; the exit status is 1 if any fails. It takes
about ten minutes (the sweep runs 74 learning rates with three optimizers for 20000 steps each).
"""
import math
import re
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
FAILED = []


def check(what, ours, theirs):
    ok = ours == theirs
    print(("PASS " if ok else "FAIL ") + what + ": example " + str(ours) + ", reference " + str(theirs))
    if not ok:
        FAILED.append(what)


def settles(values, tol):
    """The first (1-based) index from which |v| stays below tol to the end, or None."""
    start = None
    for k, v in enumerate(values):
        if not abs(v) < tol:
            start = None
        elif start is None:
            start = k + 1
    return start


def steps_text(n, diverged=False):
    return "diverges" if diverged else ("never" if n is None else str(n))


# ---- one_lr_two_curvatures ------------------------------------------------------------------

TOL, MAX_STEPS = 0.01, 20000


def coordinate_runs(history):
    """history: (steps, n, 2) |coordinates| after each step -> per run and coordinate: steps
    to tolerance (None: never) and whether it diverged (|c| > 1e6 or not finite)."""
    out = []
    for n in range(history.shape[1]):
        row = []
        for i in range(2):
            c = history[:, n, i]
            bad = ~np.isfinite(c) | (c > 1e6)
            if bad.any():
                row.append((None, True))
                continue
            row.append((settles(c, TOL), False))
        out.append(row)
    return out


def gd_history(lrs):
    """Plain GD in float64 NumPy: x <- x - lr*2x, y <- y - lr*30y, from (1, 1)."""
    lrs = np.asarray(lrs)
    p = np.ones((len(lrs), 2))
    hist = np.empty((MAX_STEPS, len(lrs), 2))
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(MAX_STEPS):
            g = p * np.array([2.0, 30.0])
            p = p - lrs[:, None] * g
            hist[k] = np.abs(p)
    return hist


def torch_history(lrs, make):
    """One (2,) parameter per lr (or two (1,) parameters for the groups), one optimizer over
    all of them with one parameter group each, on sum of x^2 + 15 y^2."""
    params, groups = [], []
    for lr in lrs:
        p = torch.ones(2, requires_grad=True)
        params.append(p)
        groups.append({"params": [p], "lr": lr})
    opt = make(groups)
    hist = np.empty((MAX_STEPS, len(lrs), 2))
    for k in range(MAX_STEPS):
        opt.zero_grad()
        loss = sum(p[0] ** 2 + 15 * p[1] ** 2 for p in params)
        loss.backward()
        opt.step()
        with torch.no_grad():
            hist[k] = torch.stack(params).abs().numpy()
    return hist


def group_history(lrs):
    xs, ys, groups = [], [], []
    for lr in lrs:
        x, y = torch.ones(1, requires_grad=True), torch.ones(1, requires_grad=True)
        xs.append(x)
        ys.append(y)
        groups += [{"params": [x], "lr": lr}, {"params": [y], "lr": lr / 15.0}]
    opt = torch.optim.SGD(groups, lr=1.0)
    hist = np.empty((MAX_STEPS, len(lrs), 2))
    for k in range(MAX_STEPS):
        opt.zero_grad()
        sum((x ** 2 + 15 * y ** 2).sum() for x, y in zip(xs, ys)).backward()
        opt.step()
        with torch.no_grad():
            hist[k, :, 0] = torch.cat(xs).abs().numpy()
            hist[k, :, 1] = torch.cat(ys).abs().numpy()
    return hist


def check_one_lr(text):
    # Section 1: the chosen learning rates.
    section = text.split("1. Steps until")[1].split("2. Sweep")[0]
    rows = re.findall(r"^   ([0-9.e-]+) +(\S+) +(\S+) +(\S+)", section, re.M)
    rows = [r for r in rows if r[0] != "lr"]
    lrs = {"0.0333333": 1 / 30, "0.0666667": 2 / 30}
    values = [lrs.get(r[0], float(r[0])) for r in rows]
    runs = coordinate_runs(gd_history(values))
    for r, run in zip(rows, runs):
        check("one lr %s, x alone" % r[0], r[1], steps_text(*run[0]))
        check("one lr %s, y alone" % r[0], r[2], steps_text(*run[1]))

    # Section 2: the sweep.
    sweep = sorted([10 ** (-3 + k / 20) for k in range(71)] + [1 / 30, 0.0625, 0.5])
    gd = coordinate_runs(gd_history(sweep))
    print("(running the sweep with torch.optim: SGD groups, Adagrad, RMSprop)")
    fixes = {
        "group": coordinate_runs(group_history(sweep)),
        "AdaGrad": coordinate_runs(torch_history(sweep, lambda g: torch.optim.Adagrad(g))),
        "RMSprop": coordinate_runs(torch_history(sweep, lambda g: torch.optim.RMSprop(g))),
    }

    def best(counts):
        found = [(n, lr) for lr, n in zip(sweep, counts) if n is not None]
        n, lr = min(found, key=lambda t: (t[0], t[1]))
        return lr, n

    def both(run):
        (nx, dx), (ny, dy) = run
        return None if nx is None or ny is None else max(nx, ny)

    expected = {
        "one lr, x alone": best([r[0][0] for r in gd]),
        "one lr, y alone": best([r[1][0] for r in gd]),
        "one lr, x and y": best([both(r) for r in gd]),
        "parameter group (lr for x, lr/15 for y), x and y": best([both(r) for r in fixes["group"]]),
        "AdaGrad, x and y": best([both(r) for r in fixes["AdaGrad"]]),
        "RMSprop, x and y": best([both(r) for r in fixes["RMSprop"]]),
    }
    for name, (lr, n) in expected.items():
        m = re.search(r"^   " + re.escape(name) + r" +([0-9.e-]+) +(\d+)$", text, re.M)
        check("sweep: best " + name, (m.group(1), int(m.group(2))), ("%.6g" % lr, n))
    unequal = sum(r[0][0] != r[1][0] for runs in fixes.values() for r in runs)
    m = re.search(r"different numbers of steps in (\d+) of their (\d+) runs", text)
    check("sweep: fixes with x and y counts unequal", (int(m.group(1)), int(m.group(2))), (unequal, 3 * len(sweep)))
    stable = sum(r[1][0] is not None for r in gd)
    m = re.search(r"y reaches the tolerance at (\d+) of the (\d+) learning rates", text)
    check("sweep: learning rates at which y reaches the tolerance", int(m.group(1)), stable)

    # The table of the fixes at chosen learning rates (rows of the sweep's runs where they are in it).
    table = text.split("RMSprop x/y")[1]
    for lr_text, gx, gy, ax, ay, rx, ry in re.findall(r"^   ([0-9.]+) +(\S+) +(\S+) +(\S+) +(\S+) +(\S+)/(\S+)$",
                                                       table, re.M):
        lr = float(lr_text)
        runs = {name: coordinate_runs(
            group_history([lr]) if name == "group" else
            torch_history([lr], (lambda g: torch.optim.Adagrad(g)) if name == "AdaGrad" else
                          (lambda g: torch.optim.RMSprop(g))))[0] for name in fixes}
        check("fixes at lr %s" % lr_text, (gx, gy, ax, ay, rx, ry),
              tuple(steps_text(*c) for name in ("group", "AdaGrad", "RMSprop") for c in runs[name]))


# ---- lesson_claims --------------------------------------------------------------------------

def neuron():
    np.random.seed(42)
    x = np.random.uniform(-5, 5, 100)
    y = 1.5 * x + 2 + np.random.normal(0, 1.5, 100)
    w_star, b_star = np.polyfit(x, y, 1)
    return x, y, w_star, b_star


def check_decay(text):
    x, y, w_star, b_star = neuron()
    section = text.split("1. Seed 000")[1].split("2. Does AdaGrad")[0]
    cases = [(0.01, 0.01, False), (0.01, 0.01, True), (0.01, 0.1, False), (0.01, 0.1, True)]
    rows = re.findall(r"^   (one lr|the pair)[^\n]*?  +(\d+|never) +(\d+|never) +([0-9.]+) +([0-9.]+) +([0-9.e-]+)$",
                      section, re.M)
    for (lr_w, lr_b, decay), row in zip(cases, rows):
        w = b = 0.0
        dw, db = [], []
        for e in range(20000):
            factor = 1 / (1 + 0.01 * e) if decay else 1.0
            r = w * x + b - y
            gw, gb = 2 * np.mean(r * x), 2 * np.mean(r)
            w -= lr_w * factor * gw
            b -= lr_b * factor * gb
            dw.append(w - w_star)
            db.append(b - b_star)
            if e == 99:
                b100 = b
            if e == 999:
                b1000 = b
        name = "lr_w %g, lr_b %g%s" % (lr_w, lr_b, " decaying" if decay else "")
        check(name + ": epochs w, b", (row[1], row[2]), (steps_text(settles(dw, 1e-3)), steps_text(settles(db, 1e-3))))
        check(name + ": b at 100, 1000", (row[3], row[4]), ("%.6f" % b100, "%.6f" % b1000))


def check_adagrad(text):
    x, y, w_star, b_star = neuron()
    xt, yt = torch.tensor(x), torch.tensor(y)
    section = text.split("2. Does AdaGrad")[1].split("Rosenbrock's function")[0]
    for row in re.findall(r"^   ([0-9.]+) +(\d+|never) +(\S+) +(\S+) +(\S+) +(\S+) +(\S+) +(\S+)$", section, re.M):
        lr = float(row[0])
        w, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
        opt = torch.optim.Adagrad([w, b], lr=lr)
        d, lr_b = [], []
        for e in range(20000):
            opt.zero_grad()
            ((w * xt + b - yt) ** 2).mean().backward()
            opt.step()
            d.append(max(abs(w.item() - w_star), abs(b.item() - b_star)))
            lr_b.append(lr / (math.sqrt(opt.state[b]["sum"].item()) + 1e-10))
        # Distances near the rounding floor (1e-16 .. 1e-13) depend on the last bits: compared to
        # within 5e-15.
        ours = [float(v) for v in row[2:5]]
        theirs = [d[99], d[999], d[-1]]
        close = all(abs(a - b) <= max(5e-15, 5e-4 * abs(b)) for a, b in zip(ours, theirs))
        check("AdaGrad lr %s on the neuron: epochs to 1e-3" % row[0], row[1], steps_text(settles(d, 1e-3)))
        check("AdaGrad lr %s on the neuron: distances at 100, 1000, 20000 agree" % row[0], close, True)
        check("AdaGrad lr %s on the neuron: lr_b at 10, 1000, 20000" % row[0], tuple(row[5:8]),
              tuple("%.4g" % v for v in (lr_b[9], lr_b[999], lr_b[-1])))

    section = text.split("Rosenbrock's function")[1].split("3. Adam")[0]
    for row in re.findall(r"^   ([0-9.]+) +(\d+|never) +([0-9.e+-]+) +\(([-0-9.]+), ([-0-9.]+)\)", section, re.M):
        lr = float(row[0])
        p = torch.tensor([-1.5, 2.0], requires_grad=True)
        opt = torch.optim.Adagrad([p], lr=lr)
        f = []
        for k in range(20000):
            opt.zero_grad()
            ((1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2).backward()
            opt.step()
            with torch.no_grad():
                f.append(((1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2).item())
        check("AdaGrad lr %s on Rosenbrock" % row[0], row[1:], (steps_text(settles(f, 1e-6)), "%.4e" % f[-1],
                                                                "%.6f" % p[0].item(), "%.6f" % p[1].item()))


def toy(lr, lam, coupled, steps):
    p = torch.tensor([4.0, 1.0], requires_grad=True)
    opt = torch.optim.Adam([p], lr=lr) if coupled else torch.optim.AdamW([p], lr=lr, weight_decay=lam)
    norms = [p.norm().item()]
    for _ in range(steps):
        opt.zero_grad()
        loss = (p ** 2).sum()
        if coupled:
            loss = loss + lam / 2 * (p ** 2).sum()
        loss.backward()
        opt.step()
        norms.append(p.norm().item())
    return norms


def first_below(norms, tol):
    return next((str(k) for k, n in enumerate(norms) if n < tol), "never")


def rises(norms):
    return sum(1 for a, b in zip(norms, norms[1:]) if a > 1e-6 and b > a)


def check_adamw(text):
    section = text.split("3. Adam + L2")[1]
    names = {"Adam, no L2": (0.0, True), "Adam + L2, lambda 0.1": (0.1, True), "Adam + L2, lambda 1": (1.0, True),
             "AdamW, lambda 0.1": (0.1, False), "AdamW, lambda 1": (1.0, False)}
    for name, (lam, coupled) in names.items():
        m = re.search(r"^   " + re.escape(name) + r" +(\S+) +(\S+) +(\S+) +(\S+) +(\d+)$", section, re.M)
        n = toy(0.02, lam, coupled, 1200)
        check("toy, " + name, m.groups(),
              (first_below(n, 1e-3), first_below(n, 1e-6), "%.4e" % n[100], "%.4e" % n[300], str(rises(n))))
    for lr, lam, a, w in re.findall(r"^   ([0-9.]+) +([0-9.]+) +(\S+, \d+ rises) +(\S+, \d+ rises)", section, re.M):
        na, nw = toy(float(lr), float(lam), True, 3000), toy(float(lr), float(lam), False, 3000)
        check("grid lr %s lambda %s" % (lr, lam), (a, w), ("%s, %d rises" % (first_below(na, 1e-3), rises(na)),
                                                           "%s, %d rises" % (first_below(nw, 1e-3), rises(nw))))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: lessons_reference.py ONE_LR_OUTPUT LESSON_CLAIMS_OUTPUT")
    check_one_lr(open(sys.argv[1]).read())
    claims = open(sys.argv[2]).read()
    check_decay(claims)
    check_adagrad(claims)
    check_adamw(claims)
    print("%d failed" % len(FAILED) if FAILED else "all numbers agree")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
