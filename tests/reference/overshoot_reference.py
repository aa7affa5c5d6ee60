"""Independent check of the numbers examples/overshoot prints (docs/examples/overshoot.md).

    build/examples/overshoot out > overshoot.txt
    /usr/bin/python3 tests/reference/overshoot_reference.py overshoot.txt

runs heavy ball and Nesterov's look-ahead again in float64 NumPy, with the gradients written by
hand (2x, 20y on the ravine; 2(x - 3), 2(y + 2) on the bowl), counts the overshoot, the crossings
and the steps to 1e-3 the same way, takes the roots of each axis's recurrence with numpy.roots,
and the stability limits from the Jury conditions. It then reads the example's output and prints
one line per number, PASS or FAIL; the exit status is 1 if any fails.
"""
import re
import sys

import numpy as np

TOL = 1e-3
failures = 0


def check(name, expected, printed, tolerance):
    global failures
    ok = abs(expected - printed) <= tolerance
    failures += not ok
    print(f"{'PASS' if ok else 'FAIL'} {name}: recomputed {expected:.6g}, printed {printed:.6g}")


def run(nesterov, gamma, lr, curvature, minimum, start, steps):
    H = np.array(curvature, float)
    m = np.array(minimum, float)
    x = np.array(start, float)
    v = np.zeros(2)
    path = [x.copy()]
    for _ in range(steps):
        at = x - gamma * v if nesterov else x
        v = gamma * v + lr * H * (at - m)
        x = x - v
        path.append(x.copy())
        if np.hypot(*x) > 1e6:
            break
    return np.array(path)


def overshoot(path, axis, minimum):
    side = 1.0 if path[0, axis] > minimum else -1.0
    return max(0.0, (-side * (path[:, axis] - minimum)).max())


def crossings(path, axis, minimum):
    d = path[:, axis] - minimum
    return int(np.sum((d[:-1] * d[1:] < 0) & (np.abs(d[:-1]) > TOL) & (np.abs(d[1:]) > TOL)))


def settles(path, minimum):
    far = np.hypot(path[:, 0] - minimum[0], path[:, 1] - minimum[1]) >= TOL
    if far[-1]:
        return -1
    return int(np.nonzero(far)[0][-1] + 1) if far.any() else 0


def roots(nesterov, gamma, h):
    b, c = ((1 + gamma) * (1 - h), gamma * (1 - h)) if nesterov else (1 + gamma - h, gamma)
    z = np.roots([1, -b, c])
    return np.abs(z).max(), bool(np.iscomplex(z).any())


METHODS = [(False, 0.9), (False, 0.5), (True, 0.9), (True, 0.5)]


def name(nesterov, gamma):
    return f"{'nesterov_lookahead' if nesterov else 'heavy_ball'}(gamma={gamma:g})"


def section(text, heading, curvature, minimum, start, lr):
    block = text[text.index(heading):]
    for nesterov, gamma in METHODS:
        path = run(nesterov, gamma, lr, curvature, minimum, start, 400)
        line = re.search(rf"^ +{re.escape(name(nesterov, gamma))} +(.*)$", block, re.M).group(1)
        cells = re.findall(r"-?[0-9.]+", line)
        kinds = re.findall(r"complex|real", line)
        for axis, label in enumerate("xy"):
            o = overshoot(path, axis, minimum[axis])
            r, cplx = roots(nesterov, gamma, lr * curvature[axis])
            base = 4 * axis
            check(f"{heading[:9]} {name(nesterov, gamma)} {label}: overshoot", o, float(cells[base]), 5e-5)
            check(f"{heading[:9]} {name(nesterov, gamma)} {label}: share %", 100 * o / abs(start[axis] - minimum[axis]),
                  float(cells[base + 1]), 0.05)
            check(f"{heading[:9]} {name(nesterov, gamma)} {label}: crossings", crossings(path, axis, minimum[axis]),
                  float(cells[base + 2]), 0)
            check(f"{heading[:9]} {name(nesterov, gamma)} {label}: |root|", r, float(cells[base + 3]), 5e-4)
            check(f"{heading[:9]} {name(nesterov, gamma)} {label}: complex roots", cplx, kinds[axis] == "complex", 0)
        check(f"{heading[:9]} {name(nesterov, gamma)}: within 1e-3 from step", settles(path, minimum),
              float(cells[8]), 0)


def sweep(text):
    block = text[text.index("the ravine at other learning rates"):]
    for lr in [0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.095]:
        line = re.search(rf"^ +{lr:g} +(.*)$", block, re.M).group(1)
        cells = re.findall(r"diverges \(\|root\| [0-9.]+\)|\d+ \(\d+, \d+\)", line)
        for (nesterov, gamma), cell in zip(METHODS, cells):
            path = run(nesterov, gamma, lr, [2.0, 20.0], [0.0, 0.0], [4.0, 1.0], 1000)
            label = f"ravine lr {lr:g} {name(nesterov, gamma)}"
            if np.hypot(*path[-1]) > 1e6 or settles(path, [0.0, 0.0]) < 0:
                r, _ = roots(nesterov, gamma, lr * 20)
                check(label + ": diverges, |root|", r, float(re.findall(r"[0-9.]+", cell)[0]), 5e-4)
            else:
                k, cx, cy = (int(v) for v in re.findall(r"\d+", cell))
                check(label + ": steps", settles(path, [0, 0]), k, 0)
                check(label + ": x crossings", crossings(path, 0, 0.0), cx, 0)
                check(label + ": y crossings", crossings(path, 1, 0.0), cy, 0)
    # Stability along the steep axis: heavy ball while lr*20 < 2(1 + gamma); Nesterov while
    # (1 + 2 gamma)(lr*20 - 1) < 1, from the Jury conditions |c| < 1, |b| < 1 + c.
    m = re.search(r"heavy ball \(lr < ([0-9.]+), ([0-9.]+)\).*\n.*Nesterov \(lr < ([0-9.]+), ([0-9.]+)\)", block)
    for value, expected in zip(m.groups(), [2 * 1.9 / 20, 2 * 1.5 / 20, (1 + 1 / 2.8) / 20, (1 + 1 / 2.0) / 20]):
        check("stability limit", expected, float(value), 5e-5)
    # And the limits are where |root| crosses 1, found by bisection on the recurrence's roots.
    for nesterov, gamma, printed in [(False, 0.9, m.group(1)), (False, 0.5, m.group(2)), (True, 0.9, m.group(3)),
                                     (True, 0.5, m.group(4))]:
        lo, hi = 0.001, 0.3
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if roots(nesterov, gamma, mid * 20)[0] < 1 else (lo, mid)
        check(f"stability limit of {name(nesterov, gamma)} by bisection", lo, float(printed), 5e-5)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    with open(sys.argv[1]) as f:
        output = f.read()
    section(output, "1. The ravine", [2.0, 20.0], [0.0, 0.0], [4.0, 1.0], 0.04)
    sweep(output)
    section(output, "2. The round bowl", [2.0, 2.0], [3.0, -2.0], [0.0, 0.0], 0.1)
    print("all numbers agree" if failures == 0 else f"{failures} numbers differ")
    sys.exit(1 if failures else 0)
