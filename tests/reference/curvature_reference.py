"""Independent check of the numbers examples/curvature prints (docs/curvature.md).

    build/examples/curvature out > curvature.txt
    /usr/bin/python3 tests/reference/curvature_reference.py curvature.txt

computes every number of the example again without tapegrad: gradients from the hand-written
formulas, Hessians by sympy's symbolic differentiation (exact rationals at the points),
eigenvalues with numpy.linalg.eigh, Newton steps with numpy.linalg.solve and in exact
arithmetic, the iterations in float64 NumPy, and the closed forms (1 - lr*lambda)^N of
gradient descent on the ravine. It then reads the example's output and prints one line per
number, PASS or FAIL; the exit status is 1 if any fails.
"""
import re
import sys

import numpy as np
import sympy as sp

X, Y = sp.symbols("x y")
FUNCTIONS = {
    "ravine": X**2 + 10 * Y**2,
    "booth": (X + 2 * Y - 7) ** 2 + (2 * X + Y - 5) ** 2,
    "rosenbrock": (1 - X) ** 2 + 100 * (Y - X**2) ** 2,
}
HESSIANS = {name: sp.hessian(expr, (X, Y)) for name, expr in FUNCTIONS.items()}


def value(name, p):
    return float(FUNCTIONS[name].subs({X: p[0], Y: p[1]}))


def hessian(name, p):
    """The exact Hessian at p (float64 entries of the exact rational matrix)."""
    return np.array(HESSIANS[name].subs({X: sp.nsimplify(p[0]), Y: sp.nsimplify(p[1])}), dtype=float)


# Gradients written out by hand, in float64.
def grad(name, p):
    x, y = p
    if name == "ravine":
        return np.array([2 * x, 20 * y])
    if name == "booth":
        a, b = x + 2 * y - 7, 2 * x + y - 5
        return np.array([2 * a + 4 * b, 4 * a + 2 * b])
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def rosen(p):
    x, y = p
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def rosen_hessian(p):
    x, y = p
    return np.array([[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]])


failures = 0


def check(label, printed, expected, rel=1e-3, abs_=0.0):
    global failures
    ok = abs(printed - expected) <= abs_ + rel * abs(expected)
    failures += not ok
    print(f"{'PASS' if ok else 'FAIL'}  {label}: printed {printed!r}, reference {expected!r}")


def number(pattern, text, group=1):
    m = re.search(pattern, text, re.S)
    if not m:
        raise SystemExit(f"not found in the output: {pattern}")
    return float(m.group(group))


def main():
    out = open(sys.argv[1], encoding="utf-8").read()
    sec1, rest = out.split("\n2. ", 1)
    sec2, sec3 = rest.split("\n3. ", 1)
    ravine_text, booth_text = sec1.split("booth, a tilted valley", 1)

    # 1. Newton on the two quadratics.
    for name, p, minimum, text in (("ravine", (3.0, 1.0), (0.0, 0.0), ravine_text),
                                   ("booth", (0.0, 0.0), (1.0, 3.0), booth_text)):
        g, h = grad(name, np.array(p)), hessian(name, p)
        lam, vec = np.linalg.eigh(h)
        check(f"{name} f(p)", number(r"f\(p\) = ([-0-9.e+]+)", text), value(name, p))
        check(f"{name} lambda_min", number(r"eigenvalues +([-0-9.e+]+) and", text), lam[0])
        check(f"{name} lambda_max", number(r"eigenvalues +[-0-9.e+]+ and ([-0-9.e+]+)", text), lam[1])
        v = number(r"eigenvectors \(([-0-9.]+), ([-0-9.]+)\) for lambda", text, 1), \
            number(r"eigenvectors \(([-0-9.]+), ([-0-9.]+)\) for lambda", text, 2)
        check(f"{name} |v_min . eigh's v_min|", abs(np.dot(v, vec[:, 0])), 1.0, rel=1e-4)
        # Newton: exactly in rationals (sympy), and in float64 (LAPACK's LU).
        exact = list(sp.Matrix(HESSIANS[name]).subs({X: sp.nsimplify(p[0]), Y: sp.nsimplify(p[1])}).LUsolve(
            -sp.Matrix([sp.diff(FUNCTIONS[name], s) for s in (X, Y)]).subs({X: sp.nsimplify(p[0]), Y: sp.nsimplify(p[1])})))
        landed_exact = (p[0] + float(exact[0]), p[1] + float(exact[1]))
        assert landed_exact == minimum, landed_exact
        d = np.linalg.solve(h, -g)
        m = re.search(r"p \+ d = \(([-0-9.e+]+), ([-0-9.e+]+)\), f\(p \+ d\) = ([-0-9.e+]+), distance[^:]*: ([-0-9.e+]+)", text)
        for k in range(2):
            check(f"{name} Newton lands, coordinate {k}", float(m.group(1 + k)), p[k] + d[k], rel=0, abs_=1e-15)
        check(f"{name} f at the landing point", float(m.group(3)), 0.0, rel=0, abs_=1e-28)
        check(f"{name} distance to the minimum", float(m.group(4)), 0.0, rel=0, abs_=1e-15)
    # Gradient descent at lr 2/(2 + 20) on the ravine until f < 1e-10.
    p, n = np.array([3.0, 1.0]), 0
    while value("ravine", p) >= 1e-10:
        p, n = p - (2 / 22) * grad("ravine", p), n + 1
    check("ravine GD at lr 1/11, steps", number(r"1/11: (\d+) steps", ravine_text), n, rel=0)

    # 2. Rosenbrock: Newton with Armijo backtracking (halving, c = 1e-4) from (-1.2, 1).
    p, fs, ts = np.array([-1.2, 1.0]), [24.2], []
    points = [p]
    while fs[-1] >= 1e-10:
        g, h = grad("rosenbrock", p), rosen_hessian(p)
        d = np.linalg.solve(h, -g)
        assert g @ d < 0  # never falls back to -g on this run
        t = 1.0
        while rosen(p + t * d) > fs[-1] + 1e-4 * t * (g @ d):
            t /= 2
        p = p + t * d
        fs.append(rosen(p))
        ts.append(t)
        points.append(p)
    rows = re.findall(r"\n +(\d+)  ([0-9.]+) +([-0-9.]+) +([-0-9.]+) +([0-9.e+-]+) ", sec2)
    check("Newton steps", int(number(r"Newton: f < 1e-10 after (\d+) steps", sec2)), len(ts), rel=0)
    check("Newton table rows", len(rows), len(ts), rel=0)
    for (k, t, x, y, f), t_ref, f_ref, p_ref in zip(rows, ts, fs[1:], points[1:]):
        check(f"Newton step {k} t", float(t), t_ref, rel=0)
        check(f"Newton step {k} x", float(x), p_ref[0], rel=0, abs_=1e-10)
        check(f"Newton step {k} y", float(y), p_ref[1], rel=0, abs_=1e-10)
        check(f"Newton step {k} f", float(f), f_ref, rel=1e-4)
    check("Newton full steps", int(number(r"\((\d+) full steps", sec2)), ts.count(1.0), rel=0)

    lam_min_at_minimum = np.linalg.eigvalsh(hessian("rosenbrock", (1, 1)))
    check("lambda_max at (1, 1)", number(r"lambda_max = ([0-9.]+), so", sec2), lam_min_at_minimum[1], rel=1e-7)
    for lr in (2e-4, 1e-3, 1.99e-3, 2.01e-3):
        p, n = np.array([-1.2, 1.0]), 0
        path = [p]
        while rosen(p) >= 1e-10 and n < 200000:
            p, n = p - lr * grad("rosenbrock", p), n + 1
            path.append(p) if n >= 199999 else None
        line = re.search(rf"\n   lr {lr:g} [^\n]*\n(?: {{20,}}[^\n]*\n)?", sec2).group(0)
        if rosen(p) < 1e-10:
            check(f"GD lr {lr:g}, steps", int(number(r"after +(\d+) steps", line)), n, rel=0)
        else:
            assert "never in 200000 steps" in line, line
            a, b = path[-2], path[-1]
            nums = [float(s) for s in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", line.split("between", 1)[1])]
            for label, printed, ref in zip(("x", "y", "f", "x", "y", "f"), nums,
                                           (a[0], a[1], rosen(a), b[0], b[1], rosen(b))):
                check(f"GD lr {lr:g}, cycle {label}", printed, ref, rel=1e-3)
    p = np.array([-1.2, 1.0])
    for _ in range(len(ts)):
        p = p - 1e-3 * grad("rosenbrock", p)
    check("GD lr 0.001 after Newton's count, f", number(r"is at \([^)]*\), f = ([0-9.e+-]+)", sec2), rosen(p))

    # 3. kappa = g.Hg/|g|^2, eigenvalues, 2/kappa; power iteration; ravine GD closed forms.
    for name, x, y, gnorm, kappa, lmin, lmax, two_k, two_l in re.findall(
            r"\n   (ravine|rosenbrock) +\(([-0-9.]+), ([-0-9.]+)\) +" + r"([-0-9.e+]+) +" * 5 + r"([-0-9.e+]+)(?=\n)", sec3):
        p = (float(x), float(y))
        g, h = grad(name, np.array(p)), hessian(name, p)
        lam = np.linalg.eigvalsh(h)
        k = g @ h @ g / (g @ g)
        for label, printed, ref in (("|g|", gnorm, np.linalg.norm(g)), ("kappa", kappa, k), ("lambda_min", lmin, lam[0]),
                                    ("lambda_max", lmax, lam[1]), ("2/kappa", two_k, 2 / k), ("2/lambda_max", two_l, 2 / lam[1])):
            check(f"{name} ({x}, {y}) {label}", float(printed), ref, rel=1e-5)
    for name, x, y, lam in re.findall(r"\n   (ravine|rosenbrock) +at \(([-0-9.]+), ([-0-9.]+)\): ([0-9.]+)", sec3):
        check(f"power iteration {name} ({x}, {y})", float(lam), np.linalg.eigvalsh(hessian(name, (float(x), float(y))))[1],
              rel=1e-9)
    for lr, y100, y500, f500 in re.findall(r"\n   (0\.099|0\.1|0\.101) +\S+ +\S+ +(\S+) +(\S+) +(\S+)", sec3):
        r = 1 - 20 * float(lr)
        check(f"ravine GD lr {lr}, |y| after 100", float(y100), abs(r) ** 100, rel=1e-4)
        check(f"ravine GD lr {lr}, |y| after 500", float(y500), abs(r) ** 500, rel=1e-4)
        check(f"ravine GD lr {lr}, f after 500", float(f500), 9 * (1 - 2 * float(lr)) ** 1000 + 10 * r ** 1000, rel=1e-4)

    print(f"{failures} failed" if failures else "all numbers agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
