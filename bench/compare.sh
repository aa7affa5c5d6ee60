#!/usr/bin/env bash
# Measures tapegrad's training-step benchmarks side by side with the same work done by
# libtorch 1.13 C++, PyTorch from Python, hand-written C++ and bare OpenBLAS DGEMM
# (the reference programs in bench/anchors/), all single-threaded, in one run, and prints a
# table of the ratios against tapegrad's performance goals (bench/compare.py).
#
# Usage: bench/compare.sh [--memory] [--no-build] [runs]      (default: 3 runs)
#   --memory    also run tapegrad_bench_memory once (10^6 small-MLP steps, ~100 s)
#   --no-build  use the binaries already in $BUILD_DIR instead of configuring and building
# Environment:
#   BUILD_DIR        build tree (default: build-bench/ at the repository root); results go to
#                    $BUILD_DIR/results/ (tapegrad_<run>.json, anchors.log, table.md)
#   COMPARE_MEMORY=1 same as --memory
#   TORCH_CMAKE_DIR  directory holding TorchConfig.cmake (default: Debian libtorch-dev's)
#   PYTHON           Python interpreter with torch 1.13 (default: the first of python3,
#                    /usr/bin/python3 that can `import torch`)
#
# Each run r = 1..runs executes, one after the other: tapegrad_bench (5 repetitions), the
# anchor programs (7 in-process repeats each), then the PyTorch script; alternating the
# programs run by run spreads the machine's slow phases over all of them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS=$BUILD_DIR/results
LOGS=$BUILD_DIR/logs
ANCHORS_SRC=$ROOT/bench/anchors
ANCHORS_BIN=$BUILD_DIR/anchors
TORCH_CMAKE_DIR=${TORCH_CMAKE_DIR:-/usr/lib/x86_64-linux-gnu/cmake/Torch}
INSTALL_HINT="sudo apt-get install -y libtorch-dev python3-torch"

MEMORY=${COMPARE_MEMORY:-0}
BUILD=1
RUNS=3

log() { printf '[compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'compare.sh: error: %s\n' "$*" >&2; exit 1; }
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --memory) MEMORY=1 ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    ''|*[!0-9]*) usage >&2; die "unknown argument '$1'" ;;
    *) RUNS=$1 ;;
  esac
  shift
done
[ "$RUNS" -ge 1 ] || die "runs must be at least 1"

# One thread everywhere: BLAS, OpenMP (libtorch), MKL if present.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

command -v cmake >/dev/null || die "cmake not found"
command -v python3 >/dev/null || die "python3 not found (bench/compare.py needs it)"
mkdir -p "$RESULTS" "$LOGS"

# Runs a build step quietly into a log file; on failure shows the end of the log and stops.
build_step() {
  local what=$1 logfile=$2
  shift 2
  if ! "$@" >>"$logfile" 2>&1; then
    tail -n 30 "$logfile" >&2
    die "$what failed (full log: $logfile)"
  fi
}

if [ "$BUILD" = 1 ]; then
  log "building tapegrad (Release, benchmark targets only) in $BUILD_DIR"
  : >"$LOGS/tapegrad_build.log"
  build_step "configuring tapegrad" "$LOGS/tapegrad_build.log" \
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
      -DTAPEGRAD_BUILD_BENCHMARKS=ON -DTAPEGRAD_BUILD_TESTS=OFF -DTAPEGRAD_BUILD_EXAMPLES=OFF \
      -DTAPEGRAD_BUILD_CLI=OFF -DTAPEGRAD_WERROR=OFF
  build_step "building tapegrad_bench" "$LOGS/tapegrad_build.log" \
    cmake --build "$BUILD_DIR" -j 2 --target tapegrad_bench tapegrad_bench_memory

  log "building the reference programs in $ANCHORS_BIN (the libtorch ones take 2-3 min the first time)"
  : >"$LOGS/anchors_build.log"
  build_step "configuring bench/anchors" "$LOGS/anchors_build.log" \
    cmake -S "$ANCHORS_SRC" -B "$ANCHORS_BIN" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$TORCH_CMAKE_DIR"
  build_step "building bench/anchors" "$LOGS/anchors_build.log" \
    cmake --build "$ANCHORS_BIN" -j 2
fi

# ---- what can run -------------------------------------------------------------------------
TG_BENCH=$BUILD_DIR/bench/tapegrad_bench
TG_MEMORY=$BUILD_DIR/bench/tapegrad_bench_memory
[ -x "$TG_BENCH" ] || die "$TG_BENCH is missing (build it, or drop --no-build)"
if [ "$MEMORY" = 1 ] && [ ! -x "$TG_MEMORY" ]; then
  die "$TG_MEMORY is missing (build it, or drop --memory)"
fi

PROGRAMS=()   # anchor programs, in the order they run
for prog in hand_rosenbrock blas_gemm hand_mlp; do
  [ -x "$ANCHORS_BIN/$prog" ] || die "$ANCHORS_BIN/$prog is missing (see $LOGS/anchors_build.log, or drop --no-build)"
  PROGRAMS+=("$prog")
done
for prog in hand_mlp_xsimd hand_mlp_xsimd_native; do
  if [ -x "$ANCHORS_BIN/$prog" ]; then PROGRAMS+=("$prog"); else log "note: $prog not built (no xsimd): its rows stay empty"; fi
done
if [ -x "$ANCHORS_BIN/torch_rosenbrock" ] && [ -x "$ANCHORS_BIN/torch_mlp" ]; then
  PROGRAMS+=(torch_rosenbrock torch_mlp)
else
  log "note: libtorch not found (TORCH_CMAKE_DIR=$TORCH_CMAKE_DIR): the 'libtorch C++' column and the"
  log "      tapegrad/libtorch ratios will be missing. To get them: $INSTALL_HINT"
fi

# A Python that has torch: $PYTHON if given, else python3 or the system's /usr/bin/python3
# (a python3 from pyenv or a virtualenv found first on PATH usually lacks Debian's torch).
PY_TORCH=""
for py in ${PYTHON:-python3 /usr/bin/python3}; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch' >/dev/null 2>&1; then PY_TORCH=$py; break; fi
done
if [ -z "$PY_TORCH" ]; then
  log "note: no Python with torch (tried: ${PYTHON:-python3 /usr/bin/python3}): the 'PyTorch Python' column"
  log "      will be missing. To get it: $INSTALL_HINT"
fi

# ---- runs -----------------------------------------------------------------------------------
# Results of an earlier invocation (memory included) would not belong to this one.
rm -f "$RESULTS"/tapegrad_*.json "$RESULTS"/tapegrad_*.txt "$RESULTS"/anchors.log "$RESULTS"/table.md
: >"$RESULTS/anchors.log"
for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: tapegrad_bench (Rosenbrock|Mlp, 5 repetitions, ~30 s)"
  "$TG_BENCH" --benchmark_filter='Rosenbrock|Mlp' --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$RESULTS/tapegrad_$r.json" --benchmark_out_format=json \
    >"$RESULTS/tapegrad_$r.txt" 2>&1 || die "tapegrad_bench failed (output: $RESULTS/tapegrad_$r.txt)"

  # "RUN r" marks which run the following RESULT lines belong to, "PROGRAM p" which program
  # printed them (both read by compare.py).
  echo "RUN $r" >>"$RESULTS/anchors.log"
  for prog in "${PROGRAMS[@]}"; do
    log "run $r/$RUNS: $prog"
    echo "PROGRAM $prog" >>"$RESULTS/anchors.log"
    "$ANCHORS_BIN/$prog" >>"$RESULTS/anchors.log" || die "$prog failed (exit $?)"
  done
  if [ -n "$PY_TORCH" ]; then
    log "run $r/$RUNS: torch_eager.py ($PY_TORCH)"
    echo "PROGRAM torch_eager.py" >>"$RESULTS/anchors.log"
    "$PY_TORCH" "$ANCHORS_SRC/torch_eager.py" >>"$RESULTS/anchors.log" || die "torch_eager.py failed (exit $?)"
  fi
done

if [ "$MEMORY" = 1 ]; then
  log "tapegrad_bench_memory: 10^6 small-MLP steps (~100 s)"
  "$TG_MEMORY" --benchmark_out="$RESULTS/tapegrad_memory.json" --benchmark_out_format=json \
    >"$RESULTS/tapegrad_memory.txt" 2>&1 || die "tapegrad_bench_memory failed (output: $RESULTS/tapegrad_memory.txt)"
fi

log "done; table below (also in $RESULTS/table.md)"
python3 "$ROOT/bench/compare.py" "$RESULTS" --markdown "$RESULTS/table.md"
