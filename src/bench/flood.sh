#!/usr/bin/env bash
# Flood (issue 6, scenario 1): 64-byte and 1 KiB items at 1, 10, 100, 1,000 and 10,000 connections,
# darner-jvm side by side with memcached (2 threads), alternating, same load generator, same run.
# Each run is REQUESTS sets then as many gets, and at least 20 of each per connection.
# Prints the RESULT lines, a table with the ratio to memcached, errors and p99, and darner's RSS.
#   src/bench/flood.sh [repetitions]      (default 3; about 10 minutes)
#   REQUESTS=20000 WARMUP=20000 CONNS="1 100" SIZES=64 src/bench/flood.sh 1     (a quick run)
# Builds the app if needed; installs memcached (Debian) if missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
REQUESTS=${REQUESTS:-100000}
CONNS=${CONNS:-1 10 100 1000 10000}
SIZES=${SIZES:-64 1024}
WARMUP=${WARMUP:-300000}
# Each process (client, server) needs a descriptor per connection and some more.
[ "$(ulimit -n)" -ge 10500 ] || { echo "ulimit -n is $(ulimit -n): too low for 10,000 connections" >&2; exit 1; }
MC_PORT=$(free_port); DJ_PORT=$(free_port)
start_memcached "$MC_PORT" -c 12000
# A fresh darner for each item size, so that a server broken by one size does not spoil the other.
for size in $SIZES; do
    start_darner "$(scratch_dir)" "$DJ_PORT"
    sleep 2
    echo "item=$size idle_rss_mb=$(rss_mb)"
    loadgen -p "$DJ_PORT" -c 10 -s "$WARMUP" -g "$WARMUP" -i "$size" --label warmup > /dev/null
    loadgen -p "$MC_PORT" --target memcached -c 10 -s "$WARMUP" -g "$WARMUP" -i "$size" --label warmup > /dev/null
    peak_rss_start
    for c in $CONNS; do
        n=$(( REQUESTS > 20 * c ? REQUESTS : 20 * c ))
        for r in $(seq "$REPS"); do
            loadgen -p "$MC_PORT" --target memcached -c "$c" -s "$n" -g "$n" -i "$size" --label memcached
            loadgen -p "$DJ_PORT" -c "$c" -s "$n" -g "$n" -i "$size" --label darner
        done
    done
    echo "item=$size peak_rss_mb=$(peak_rss_stop) after_rss_mb=$(rss_mb)"
    heap_check
    stop_darner
done | tee "$BENCH_OUT/flood.txt"
python3 - "$BENCH_OUT/flood.txt" <<'PY'
import sys
from results import rows, by, median, median_run, total
runs = by(rows(sys.argv[1]), 'label', 'item', 'conns')
print("\n| item | conns | memcached req/s | darner-jvm req/s | ratio | darner p50 / p99 / p99.9 us | darner errors | memcached errors |")
print("|---|---|---|---|---|---|---|---|")
for item, c in sorted({k[1:] for k in runs}):
    mc, dj = runs[('memcached', item, c)], runs[('darner', item, c)]
    mc_rate, dj_rate = median(mc, 'total/s'), median(dj, 'total/s')
    m = median_run(dj)
    print(f"| {item} | {c:,} | {mc_rate:,.0f} | {dj_rate:,.0f} | {dj_rate / mc_rate:.2f} | "
          f"{m['p50us']} / {m['p99us']} / {m['p999us']} | {total(dj, 'errors')} | {total(mc, 'errors')} |")
PY
