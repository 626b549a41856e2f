#!/usr/bin/env bash
# Large items (issue 6, scenario 4): 1 MiB items at 1 and 10 connections, ITEMS sets then as many
# gets, darner-jvm side by side with memcached (2 threads, -I 2m so that 1 MiB items fit),
# alternating, same load generator, same run. Prints the RESULT lines, a table of MB/s in (sets)
# and out (gets) with the ratio to memcached, and darner's RSS (idle, peak, after).
#   src/bench/large-items.sh [repetitions]      (default 3; about 3 minutes)
#   ITEMS=50 src/bench/large-items.sh 1          (a quick run)
# Builds the app if needed; installs memcached (Debian) if missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
ITEMS=${ITEMS:-1000}
MIB=$((1024 * 1024))
MC_PORT=$(free_port); DJ_PORT=$(free_port)
start_memcached "$MC_PORT" -I 2m -m 256
start_darner "$(scratch_dir)" "$DJ_PORT"
sleep 2
echo "idle_rss_mb=$(rss_mb)"
loadgen -p "$DJ_PORT" -c 10 -s "$ITEMS" -g "$ITEMS" -i "$MIB" --label warmup > /dev/null
loadgen -p "$MC_PORT" --target memcached -c 10 -s "$ITEMS" -g "$ITEMS" -i "$MIB" --label warmup > /dev/null
peak_rss_start
for c in 1 10; do
    for r in $(seq "$REPS"); do
        loadgen -p "$MC_PORT" --target memcached -c "$c" -s "$ITEMS" -g "$ITEMS" -i "$MIB" --label memcached
        loadgen -p "$DJ_PORT" -c "$c" -s "$ITEMS" -g "$ITEMS" -i "$MIB" --label darner
    done
done | tee "$BENCH_OUT/large-items.txt"
echo "peak_rss_mb=$(peak_rss_stop) after_rss_mb=$(rss_mb)"
python3 - "$BENCH_OUT/large-items.txt" <<'PY'
import sys
from results import rows, by, median, total
runs = by(rows(sys.argv[1]), 'label', 'conns')
def med(label, c, key):
    return median(runs[(label, c)], key)
print("\n| conns | memcached in MB/s | darner-jvm in MB/s | ratio | memcached out MB/s | darner-jvm out MB/s | ratio | darner p99 ms | darner errors |")
print("|---|---|---|---|---|---|---|---|---|")
for c in sorted({k[1] for k in runs}):
    mi, di = med('memcached', c, 'set_MB/s'), med('darner', c, 'set_MB/s')
    mo, do = med('memcached', c, 'get_MB/s'), med('darner', c, 'get_MB/s')
    print(f"| {c} | {mi:,.0f} | {di:,.0f} | {di / mi:.2f} | {mo:,.0f} | {do:,.0f} | {do / mo:.2f} | "
          f"{med('darner', c, 'p99us') / 1000:,.1f} | {total(runs[('darner', c)], 'errors')} |")
PY
heap_check
