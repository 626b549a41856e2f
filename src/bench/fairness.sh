#!/usr/bin/env bash
# Fairness (issue 6, scenario 3): 10 connections setting 64-byte items while 10 others set 8 MiB
# items, two load generators at once on two queues. The small sets run first alone for SMALL_SECS
# (the baseline), then again for SMALL_SECS beside the large sets: the large run starts first and
# lasts LARGE_SECS, the small one starts 2 s later, and the script checks that the large run
# outlasted it, so every small set measured was made while large ones were in flight. (Both runs
# are bounded by time, not by counts: a server that starves the small sets beside the large ones
# must not stretch the small run past the large one.) Prints the RESULT lines, the small sets'
# latency alone and beside the large ones, the large sets' MB/s, and the server's RSS (idle, peak,
# after draining both queues; the heap stays within the README's -Xmx64m or the server fails).
#   src/bench/fairness.sh [repetitions]     (default 3; about 5 minutes)
#   SMALL_SECS=5 LARGE_SECS=9 src/bench/fairness.sh 1     (a quick run)
# Builds the app if needed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
SMALL_SECS=${SMALL_SECS:-20}
LARGE_SECS=${LARGE_SECS:-30}
LARGE_SETS=${LARGE_SETS:-1000} # at most, per run
LARGE=$((8 * 1024 * 1024))
DATA=$(scratch_dir)
need_disk_gib $(( LARGE_SETS * 8 / 1024 + 1 )) "$DATA"
PORT=$(free_port)
start_darner "$DATA" "$PORT"
sleep 2
echo "idle_rss_mb=$(rss_mb)"
small() { loadgen -p "$PORT" -c 10 -s 100000000 -g 0 -i 64 -q small --duration "$SMALL_SECS" "$@"; }
sets() { sed -n 's/.* sets=\([0-9]*\) .*/\1/p' <<< "$1"; }
small --label warmup > /dev/null
loadgen -p "$PORT" -c 10 -s 0 -g 100000000 -i 64 -q small --duration 10 --label drain-warmup > /dev/null
peak_rss_start
for r in $(seq "$REPS"); do
    alone=$(small --label small-alone)
    echo "$alone"
    LOADGEN_OUT=$BENCH_OUT/large.out loadgen -p "$PORT" -c 10 -s "$LARGE_SETS" -g 0 -i "$LARGE" -q large \
        --duration "$LARGE_SECS" --timeout 60 --label large > "$BENCH_OUT/large.txt" &
    large=$!
    sleep 2 # its JVM started, its connections open, its first items on the way
    beside=$(small --label small-beside-large)
    echo "$beside"
    if ! kill -0 "$large" 2>/dev/null; then
        echo "WARNING: the large sets ended before the small ones: raise LARGE_SECS" >&2
        echo "OVERLAP failed"
    fi
    wait "$large" || true
    cat "$BENCH_OUT/large.txt"
    # drain both queues, so that each repetition starts from empty ones
    loadgen -p "$PORT" -c 10 -s 0 -g "$(sets "$(cat "$BENCH_OUT/large.txt")")" -i "$LARGE" -q large --timeout 60 \
        --label drain-large
    loadgen -p "$PORT" -c 10 -s 0 -g $(( $(sets "$alone") + $(sets "$beside") )) -i 64 -q small --label drain-small
done | tee "$BENCH_OUT/fairness.txt"
echo "peak_rss_mb=$(peak_rss_stop) drained_rss_mb=$(rss_mb) data_dir=$(du -sh "$DATA" | cut -f1)"
heap_check
python3 - "$BENCH_OUT/fairness.txt" <<'PY'
import sys
from results import rows, by, median, total
runs = by(rows(sys.argv[1]), 'label')
def med(label, key):
    return median(runs[label], key)
print("\n| small sets (64 B, 10 conns) | sets/s | p50 us | p99 us | p99.9 us | errors |")
print("|---|---|---|---|---|---|")
for label in ('small-alone', 'small-beside-large'):
    print(f"| {label} | {med(label, 'sets/s'):,.0f} | {med(label, 'p50us'):,.0f} | {med(label, 'p99us'):,.0f} | "
          f"{med(label, 'p999us'):,.0f} | {total(runs[label], 'errors')} |")
print(f"\nlarge sets (8 MiB, 10 conns): {med('large', 'set_MB/s'):,.0f} MB/s, p99 {med('large', 'p99us') / 1000:,.0f} ms, "
      f"errors {total(runs['large'], 'errors')}; drained at {med('drain-large', 'get_MB/s'):,.0f} MB/s")
PY
