#!/bin/sh
# Runs one fuzz target (one process: the machine's other core stays free), then minimizes
# what it found into the committed seed corpus.
#
#   fuzz/run.sh BUILD_DIR TARGET [SECONDS [RUNS]]     e.g. fuzz/run.sh /tmp/build-fuzz csv 3600
#
# The working corpus grows in $FUZZ_WORK/TARGET (default /tmp/fuzz-work); the log is
# $FUZZ_WORK/TARGET.log and crashing inputs are written as $FUZZ_WORK/TARGET/crash-*. At the
# end, fuzz/corpus/TARGET is replaced by the -merge=1 minimization of the seeds and the
# working corpus: the smallest set of inputs that covers the same features.
set -eu
build=$1
target=$2
seconds=${3:-3600}
runs=${4:-10000000}
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
work=${FUZZ_WORK:-/tmp/fuzz-work}
case $target in
  csv | cli) max_len=4096 ;;
  split) max_len=4096 ;;
  npy) max_len=16384 ;;
  npz | checkpoint) max_len=65536 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
dict=
[ -f "$fuzz_dir/$target.dict" ] && dict="-dict=$fuzz_dir/$target.dict"
mkdir -p "$work/$target" "$work/$target.artifacts" "$fuzz_dir/corpus/$target"

"$build/fuzz/fuzz_$target" $dict -max_len=$max_len -rss_limit_mb=2048 -timeout=10 \
  -runs="$runs" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$work/$target.artifacts/" "$work/$target" "$fuzz_dir/corpus/$target" \
  >"$work/$target.log" 2>&1 || status=$?
# 72: stopped by Ctrl-C (SIGINT), which keeps what was found; anything else is a finding.
if [ "${status:-0}" != 0 ] && [ "$status" != 72 ]; then
  echo "fuzz_$target stopped with status $status: see $work/$target.log and $work/$target.artifacts" >&2
  exit 1
fi

# Minimize: merge the seeds and the working corpus into an empty folder, then replace the seeds.
rm -rf "$work/$target.merged" && mkdir "$work/$target.merged"
"$build/fuzz/fuzz_$target" -merge=1 -max_len=$max_len "$work/$target.merged" \
  "$fuzz_dir/corpus/$target" "$work/$target" >"$work/$target.merge.log" 2>&1
rm -f "$fuzz_dir/corpus/$target"/*
cp "$work/$target.merged"/* "$fuzz_dir/corpus/$target/"
grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$work/$target.log" | tail -1
grep -E '^stat::' "$work/$target.log"
echo "corpus/$target: $(ls "$fuzz_dir/corpus/$target" | wc -l) files, $(cat "$fuzz_dir/corpus/$target"/* | wc -c) bytes"
