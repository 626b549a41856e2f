#!/usr/bin/env bash
# The issue-2 benchmark: darner-jvm side by side with memcached (2 threads), same load generator,
# same run. Prints the RESULT lines, the ratios, RSS figures and the restart time with a backlog.
#   src/bench/core.sh [repetitions]
# Builds the app if needed; installs memcached (Debian) if missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
DATA=$(scratch_dir)
MC_PORT=$(free_port); DJ_PORT=$(free_port)
start_memcached "$MC_PORT" -c 4096
start_darner "$DATA" "$DJ_PORT"
sleep 2
echo "idle_rss_mb=$(rss_mb)"
loadgen -p "$DJ_PORT" -c 10 -s 300000 -g 300000 -i 64 --label warmup > /dev/null
loadgen -p "$MC_PORT" --target memcached -c 10 -s 300000 -g 300000 -i 64 --label warmup > /dev/null
for c in 1 10 100 1000; do
    for r in $(seq "$REPS"); do
        loadgen -p "$MC_PORT" --target memcached -c "$c" -s 100000 -g 100000 -i 64 --label "memcached"
        loadgen -p "$DJ_PORT" -c "$c" -s 100000 -g 100000 -i 64 --label "darner"
    done
done | tee "$BENCH_OUT/results.txt"
python3 - "$BENCH_OUT/results.txt" <<'PY'
import sys
from results import rows, by, median, median_run
runs = by(rows(sys.argv[1]), 'label', 'conns')
print("\n| conns | memcached req/s | darner-jvm req/s | ratio | darner p50/p99/p999 us |")
print("|---|---|---|---|---|")
for c in sorted({k[1] for k in runs}):
    mc, dj = median(runs[('memcached', c)], 'total/s'), median(runs[('darner', c)], 'total/s')
    m = median_run(runs[('darner', c)])
    print(f"| {c} | {mc:,.0f} | {dj:,.0f} | {dj / mc:.2f} | {m['p50us']} / {m['p99us']} / {m['p999us']} |")
PY
echo
loadgen -p "$DJ_PORT" -c 10 -s 1000000 -g 0 -i 1024 --label fill-1GiB
sleep 2
echo "backlog_rss_mb=$(rss_mb) data_dir=$(du -sh "$DATA" | cut -f1)"
stop_darner
t0=$(date +%s%N); start_darner "$DATA" "$DJ_PORT"; t1=$(date +%s%N)
echo "restart_with_backlog_s=$(python3 -c "print(round(($t1-$t0)/1e9, 2))") ($(grep -o 'started in [0-9.]*s' "$BENCH_OUT/darner.log"))"
echo "after_restart_rss_mb=$(rss_mb)"
loadgen -p "$DJ_PORT" -c 10 -s 0 -g 1000000 -i 1024 --label drain-1GiB
sleep 5
echo "drained_rss_mb=$(rss_mb) anon_kb=$(awk '/RssAnon/{print $2}' /proc/"$DARNER_PID"/status) data_dir=$(du -sh "$DATA" | cut -f1)"
