#!/usr/bin/env bash
# Fairness (issue 6, scenario 3): 10 connections setting 64-byte items while 10 others set 8 MiB
# items, two load generators at once on two queues. The small sets run first alone (the baseline,
# and the warm-up), then again while the large sets are running: the large run starts first, the
# small one a moment later, and the script checks that the large run outlasted it, so every small
# set measured was made while large ones were in flight. Prints both RESULT lines, the small sets'
# latency alone and beside the large ones, the large sets' MB/s, and the server's RSS (idle, peak,
# after draining both queues; the heap stays within the README's -Xmx64m or the server fails).
#   src/bench/fairness.sh [repetitions]     (default 3; about 6 minutes, needs 6 GiB free)
#   SMALL_SETS=20000 LARGE_SETS=60 src/bench/fairness.sh 1     (a quick run)
# Builds the app if needed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
SMALL_SETS=${SMALL_SETS:-50000}
LARGE_SETS=${LARGE_SETS:-600}
LARGE=$((8 * 1024 * 1024))
DATA=$(scratch_dir)
need_disk_gib $(( LARGE_SETS * 8 / 1024 + 1 )) "$DATA"
PORT=$(free_port)
start_darner "$DATA" "$PORT"
sleep 2
echo "idle_rss_mb=$(rss_mb)"
small() { loadgen -p "$PORT" -c 10 -s "$SMALL_SETS" -g 0 -i 64 -q small "$@"; }
small --label warmup > /dev/null
peak_rss_start
for r in $(seq "$REPS"); do
    small --label small-alone
    LOADGEN_OUT=$BENCH_OUT/large.out loadgen -p "$PORT" -c 10 -s "$LARGE_SETS" -g 0 -i "$LARGE" -q large \
        --timeout 60 --label large > "$BENCH_OUT/large.txt" &
    large=$!
    sleep 2 # its JVM started, its connections open, its first items on the way
    small --label small-beside-large
    if ! kill -0 "$large" 2>/dev/null; then
        echo "WARNING: the large sets ended before the small ones: raise LARGE_SETS" >&2
        echo "OVERLAP failed"
    fi
    wait "$large" || true
    cat "$BENCH_OUT/large.txt"
    # drain both queues, so that each repetition starts from empty ones
    loadgen -p "$PORT" -c 10 -s 0 -g "$LARGE_SETS" -i "$LARGE" -q large --timeout 60 --label drain-large
    loadgen -p "$PORT" -c 10 -s 0 -g "$SMALL_SETS" -i 64 -q small --label drain-small
done | tee "$BENCH_OUT/fairness.txt"
echo "peak_rss_mb=$(peak_rss_stop) drained_rss_mb=$(rss_mb) data_dir=$(du -sh "$DATA" | cut -f1)"
heap_check
python3 - "$BENCH_OUT/fairness.txt" <<'PY'
import sys, statistics, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    if line.startswith('RESULT'):
        f = dict(kv.split('=', 1) for kv in line.split()[1:])
        runs[f['label']].append(f)
def med(label, key):
    return statistics.median(float(r[key]) for r in runs[label])
print("\n| small sets (64 B, 10 conns) | sets/s | p50 us | p99 us | p99.9 us | errors |")
print("|---|---|---|---|---|---|")
for label in ('small-alone', 'small-beside-large'):
    print(f"| {label} | {med(label, 'sets/s'):,.0f} | {med(label, 'p50us'):,.0f} | {med(label, 'p99us'):,.0f} | "
          f"{med(label, 'p999us'):,.0f} | {sum(int(r['errors']) for r in runs[label])} |")
print(f"\nlarge sets (8 MiB, 10 conns): {med('large', 'set_MB/s'):,.0f} MB/s, p99 {med('large', 'p99us') / 1000:,.0f} ms, "
      f"errors {sum(int(r['errors']) for r in runs['large'])}; drained at {med('drain-large', 'get_MB/s'):,.0f} MB/s")
PY
