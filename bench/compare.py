#!/usr/bin/env python3
"""Table of tapegrad's training steps against libtorch, PyTorch, hand-written C++ and DGEMM.

Reads what bench/compare.sh leaves in its results directory:
  tapegrad_<run>.json   Google Benchmark JSON of tapegrad_bench, one file per run, aggregates
                        only (the `median` aggregate of the repetitions is used);
  anchors.log           RESULT/INFO lines of the reference programs in bench/anchors/, each
                        run introduced by a line "RUN <run>";
  tapegrad_memory.json  (optional) tapegrad_bench_memory's counters.
Prints the table (Markdown) with the machine and the date, and writes it to --markdown.

Standard library only.  Usage: bench/compare.py [RESULTS_DIR] [--markdown FILE]
"""
import argparse
import collections
import datetime
import glob
import json
import os
import re
import statistics
import sys

INSTALL_HINT = "sudo apt-get install -y libtorch-dev python3-torch"

# Exact matmul flops of one large-MLP step (784-512-512-10, batch 256): forward 2·B·in·out per
# layer, backward dW for every layer and dX for all but the first (its input needs no gradient):
# 3 · 2·256·(784·512 + 512·512 + 512·10) − 2·256·784·512 = 821 559 296.
LARGE_MLP_MATMUL_FLOPS = 821_559_296
DGEMM_ITEM = "dgemm_256x512x512"  # the DGEMM shape closest to the large MLP's products

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


# ---- reading ---------------------------------------------------------------------------------

def read_tapegrad(results):
    """{benchmark name: {run: median ns}} from tapegrad_<run>.json, and the first JSON's context."""
    series = collections.defaultdict(dict)
    context = {}
    loads = []
    files = glob.glob(os.path.join(results, "tapegrad_*.json"))
    runs = sorted((int(m.group(1)), f) for f in files
                  if (m := re.search(r"tapegrad_(\d+)\.json$", f)))
    for run, path in runs:
        with open(path) as fh:
            data = json.load(fh)
        context = context or data.get("context", {})
        if "load_avg" in data.get("context", {}):
            loads.append(data["context"]["load_avg"][0])
        for b in data.get("benchmarks", []):
            if b.get("aggregate_name") != "median":
                continue
            # "BM_MlpLargeAdamStep/min_time:2.000" -> "BM_MlpLargeAdamStep"
            name = b["run_name"].split("/")[0]
            series[name][run] = b["real_time"] * UNIT_NS[b.get("time_unit", "ns")]
    return series, context, loads


def read_anchors(path):
    """{(impl, item): {run: median ns}} and the INFO lines of anchors.log as (program, line).

    Each RESULT line is one process's median over its 7 repeats. Runs are numbered by the
    "RUN r" lines; a log without them (e.g. from several concatenated runs) numbers each
    (impl, item) by its occurrence instead. "PROGRAM name" lines say who prints what follows.
    """
    series = collections.defaultdict(dict)
    info = []
    if not os.path.exists(path):
        return series, info
    run, program = None, ""
    seen = collections.Counter()
    with open(path) as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "RUN" and len(parts) > 1:
                run = int(parts[1])
            elif parts[0] == "PROGRAM" and len(parts) > 1:
                program = parts[1]
            elif parts[0] == "INFO":
                info.append((program, line.strip()))
            elif parts[0] == "RESULT":
                kv = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
                key = (kv["impl"], kv["item"])
                seen[key] += 1
                series[key][run if run is not None else seen[key]] = float(kv["median_ns"])
    return series, info


def read_memory(path):
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        benches = json.load(fh).get("benchmarks", [])
    return benches[0] if benches else None


# ---- arithmetic over runs --------------------------------------------------------------------

class Summary:
    """Per-run values -> median over runs, and min and max across runs."""

    def __init__(self, per_run):
        values = list(per_run.values())
        self.n = len(values)
        self.median = statistics.median(values)  # the median of the per-run medians
        self.lo = min(values)
        self.hi = max(values)


def summary(per_run):
    return Summary(per_run) if per_run else None


def per_run(f, *series):
    """f applied run by run to the runs present in every series (a paired comparison: both
    numbers of a ratio come from the same run, i.e. from the same few minutes of machine load)."""
    if any(not s for s in series):
        return {}
    runs = set.intersection(*(set(s) for s in series))
    return {r: f(*(s[r] for s in series)) for r in sorted(runs)}


# ---- formatting ------------------------------------------------------------------------------

def fmt_us(ns):
    """ns -> µs with about three significant digits."""
    us = ns / 1e3
    if us < 0.1:
        return f"{us:.4f}"
    if us < 10:
        return f"{us:.3g}" if us < 1 else f"{us:.2f}"
    if us < 1000:
        return f"{us:.1f}"
    return f"{us:,.0f}".replace(",", " ")


def fmt_num(x):
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 0.1:
        return f"{x:.2f}"
    return f"{x:#.2g}"  # '#' keeps trailing zeros: 0.0070, not 0.007


def cell(s, fmt=fmt_us, suffix=""):
    """'median [min–max]' over runs; only the median when there is one run."""
    if s is None:
        return "—"
    if s.n == 1:
        return f"{fmt(s.median)}{suffix}"
    return f"{fmt(s.median)}{suffix} [{fmt(s.lo)}–{fmt(s.hi)}]"


def pct(x):
    return f"{100 * x:.0f}%"


def verdict(s, ok):
    """'yes' / 'no' from the median over runs, qualified when some runs disagree."""
    if s is None:
        return "n/a"
    lo_ok, hi_ok, med_ok = ok(s.lo), ok(s.hi), ok(s.median)
    if med_ok:
        return "yes" if (lo_ok and hi_ok) else "yes (not in every run)"
    return "no (met in some runs)" if (lo_ok or hi_ok) else "no"


# ---- machine ---------------------------------------------------------------------------------

def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def nproc():
    """What `nproc` prints without OMP_NUM_THREADS (which compare.sh sets to 1 and nproc obeys)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()


# ---- the table -------------------------------------------------------------------------------

def build(results):
    tg, context, loads = read_tapegrad(results)
    an, info = read_anchors(os.path.join(results, "anchors.log"))
    memory = read_memory(os.path.join(results, "tapegrad_memory.json"))
    if not tg:
        sys.exit(f"compare.py: no tapegrad_<run>.json with median aggregates in {results} "
                 "(run bench/compare.sh)")

    def A(impl, item):
        return an.get((impl, item), {})

    runs = max(len(v) for v in tg.values())
    out = []
    w = out.append

    # Machine, versions, date.
    flags = cpu_flags()
    simd = ", ".join(f"{f} {'yes' if f in flags else 'no'}"
                     for f in ("avx512f", "avx512dq", "avx512bw", "avx2", "fma"))

    def info_value(pattern, programs=None):
        for prog, line in info:
            if programs is None or prog in programs:
                if m := re.search(pattern, line):
                    return m.group(1)
        return None

    core = info_value(r"\bcore=(\S+)") or "not measured"
    blas_cfg = info_value(r'openblas_config="([^"]*)"')
    torch_cpp = info_value(r"torch_version=(\S+)", ("torch_rosenbrock", "torch_mlp"))
    torch_py = info_value(r"torch_version=(\S+)", ("torch_eager.py",))
    cap = context.get("cpu_capability")  # what tapegrad_bench reported it used
    w("# tapegrad against libtorch, PyTorch, hand-written C++ and DGEMM")
    w("")
    w(f"- date: {context.get('date') or datetime.datetime.now().isoformat(timespec='seconds')}")
    w(f"- CPU: {cpu_model()}, nproc {nproc()}; {simd}")
    w("- tapegrad kernels: " + (f"{cap} (tg::get_cpu_capability())" if cap else "not reported"))
    w(f"- OpenBLAS core: {core}" + (f" ({blas_cfg})" if blas_cfg else ""))
    w(f"- libtorch C++: {torch_cpp or 'not measured'}; PyTorch: {torch_py or 'not measured'}")
    w(f"- runs: {runs}; one thread everywhere (OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)"
      + (f"; load average at the start of each run: {', '.join(f'{x:.2f}' for x in loads)}"
         if loads else ""))
    w("")
    w("µs per step. Each cell: median over the runs of each run's median [min–max of those "
      "per-run medians]; a run's median is Google Benchmark's median of 5 repetitions for "
      "tapegrad, the median of 7 in-process repeats for the reference programs. Ratios and "
      "efficiencies are computed within each run, then summarised the same way.")
    w("")
    w("| work | tapegrad | libtorch C++ | PyTorch Python | hand-written | ratio tapegrad/libtorch | goal | met? |")
    w("|---|---|---|---|---|---|---|---|")

    def row(work, t="", l="", p="", h="", ratio="", goal="", met=""):
        w(f"| {work} | {t} | {l} | {p} | {h} | {ratio} | {goal} | {met} |")

    def ratio_of(a, b):
        return summary(per_run(lambda x, y: x / y, a, b))

    # Rosenbrock: tapegrad ≥ 50× faster than libtorch; moonshot ≤ 20× the hand-written loop.
    t = tg.get("BM_RosenbrockTape", {})
    lt, py, hd = A("libtorch", "rosenbrock_step"), A("pytorch", "rosenbrock_step"), A("hand", "rosenbrock_step")
    r = ratio_of(t, lt)
    speedup = summary(per_run(lambda x, y: y / x, t, lt))  # libtorch / tapegrad
    row("Rosenbrock step (zero_grad, f, backward, update)", cell(summary(t)), cell(summary(lt)),
        cell(summary(py)), cell(summary(hd)),
        cell(r, fmt_num) + (f" = {cell(speedup, fmt_num, '×')} faster" if speedup else ""),
        "libtorch/tapegrad ≥ 50", verdict(speedup, lambda x: x >= 50))
    x_hand = ratio_of(t, hd)
    row("↳ moonshot: multiple of hand-written", "", "", "", "",
        f"tapegrad/hand = {cell(x_hand, fmt_num, '×')}" if x_hand else "—",
        "tapegrad/hand ≤ 20", verdict(x_hand, lambda x: x <= 20))
    lm, pm = A("libtorch", "rosenbrock_step_manual_update"), A("pytorch", "rosenbrock_step_manual_update")
    if lm or pm:
        row("↳ libtorch/PyTorch with a manual p -= lr·grad (tapegrad's update)", "", cell(summary(lm)),
            cell(summary(pm)), "", cell(ratio_of(t, lm), fmt_num) if lm else "", "", "")
    if "BM_RosenbrockHand" in tg:
        row("↳ hand-written loop inside tapegrad_bench", "", "", "", cell(summary(tg["BM_RosenbrockHand"])))

    # MLPs: tapegrad/libtorch ≤ 0.7 (moonshot ≤ 0.4) small and medium, ≤ 1.0 large.
    mlps = [("small", "BM_MlpSmallAdamStep", "2-64-64-1 b64 MSE", 0.7, 0.4),
            ("medium", "BM_MlpMediumAdamStep", "64-128-10 b32 CE", 0.7, 0.4),
            ("large", "BM_MlpLargeAdamStep", "784-512-512-10 b256 CE", 1.0, None)]
    dgemm = A("blas", DGEMM_ITEM)
    dgemm_gflops = {run: 2.0 * 256 * 512 * 512 / ns for run, ns in dgemm.items()}  # flops/ns = GFLOP/s
    for size, bm, shape, goal, moon in mlps:
        item = f"mlp_{size}_step"
        t, lt, py, hd = tg.get(bm, {}), A("libtorch", item), A("pytorch", item), A("hand", item)
        r = ratio_of(t, lt)
        row(f"MLP {size} {shape}, Adam step", cell(summary(t)), cell(summary(lt)), cell(summary(py)),
            cell(summary(hd)), cell(r, fmt_num), f"≤ {goal}", verdict(r, lambda x, g=goal: x <= g))
        if moon is not None:
            row("↳ moonshot", "", "", "", "", cell(r, fmt_num), f"≤ {moon}",
                verdict(r, lambda x, g=moon: x <= g))
        if size == "large":
            # Matmul efficiency, run by run: achieved matmul rate = exact matmul flops per step
            # / step time (flops per ns = GFLOP/s), divided by the DGEMM rate of the same run.
            def eff(step_ns, gflops):
                return LARGE_MLP_MATMUL_FLOPS / step_ns / gflops

            e = {k: summary(per_run(eff, s, dgemm_gflops)) for k, s in
                 (("t", t), ("l", lt), ("p", py), ("h", hd))}
            row(f"↳ matmul efficiency: {LARGE_MLP_MATMUL_FLOPS / 1e6:.1f} MFLOP / step time, "
                f"÷ DGEMM 256×512×512 GFLOP/s", cell(e["t"], pct), cell(e["l"], pct),
                cell(e["p"], pct), cell(e["h"], pct), "", "≥ 75%",
                verdict(e["t"], lambda x: x >= 0.75))
        for suffix, label in (("_xsimd_tanh", "xsimd tanh"),
                              ("_xsimd_tanh_native", "xsimd tanh, -march=native")):
            h = A("hand", item + suffix)
            if h:
                row(f"↳ hand-written, {label}", "", "", "", cell(summary(h)))
        g = A("blas", f"mlp_{size}_gemms_only")
        if g:
            row("↳ its GEMMs alone (OpenBLAS)", "", "", "", cell(summary(g)))

    # Memory over 10^6 steps, after a warm-up of 10^3.
    if memory:
        rss, hwm = memory.get("rss_growth_kib"), memory.get("hwm_growth_kib")
        if rss is not None and hwm is not None:
            row("Memory: growth over 10^6 small-MLP steps after warm-up",
                f"RSS {rss:+.0f} KiB, peak {hwm:+.0f} KiB", "", "", "", "",
                "flat: growth ≤ 1 MiB", "yes" if max(rss, hwm) <= 1024 else "no")
    w("")

    # Notes under the table.
    notes = []
    if dgemm:
        notes.append(f"DGEMM 256×512×512 (OpenBLAS, 1 thread): "
                     f"{cell(summary(dgemm_gflops), fmt_num)} GFLOP/s.")
    notes.append("libtorch's and PyTorch's Rosenbrock step use the SGD optimizer object; "
                 "BM_RosenbrockTape updates with p.sub_(grad, lr) under NoGradGuard, like the "
                 "\"manual\" row.")
    if memory is None:
        notes.append("Memory not measured (bench/compare.sh --memory).")
    missing = []
    if not any(k[0] == "libtorch" for k in an):
        missing.append("libtorch C++ column and the tapegrad/libtorch ratios (libtorch-dev not found)")
    if not any(k[0] == "pytorch" for k in an):
        missing.append("PyTorch Python column (no python3 with torch)")
    if not any(k[0] in ("hand", "blas") for k in an):
        missing.append("hand-written and DGEMM figures (anchors.log has none)")
    if missing:
        notes.append("Missing: " + "; ".join(missing) + f". To get them: `{INSTALL_HINT}`.")
    for n in notes:
        w(f"- {n}")
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="?", default=os.path.join(here, "..", "build-bench", "results"),
                    help="directory written by bench/compare.sh (default: build-bench/results)")
    ap.add_argument("--markdown", help="also write the table to this file")
    args = ap.parse_args()
    text = build(args.results)
    sys.stdout.write(text)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
