#!/usr/bin/env bash
# Many queues (issue 6, scenario 5), in two parts.
# 1. 10,000 queues, one producer connection and one consumer connection per 100 queues (100
#    producers and 100 consumers, each cycling round-robin over its group of 100 queues), all at
#    once: items/s, darner-jvm beside memcached (the same 10,000 keys, overwritten: a ceiling of
#    requests, not of deliveries).
# 2. The 10,000 queues filled with FILL items (100 each), the server stopped with SIGTERM and
#    started again: the time from the process start to its "started in" line, and to the first
#    answered get; then the queues drained, which must hand out every item (as stale: an earlier
#    run's) and nothing else.
# Prints the RESULT lines, a table, the restart figures and darner's RSS (idle, peak, with the
# backlog, after the restart).
#   src/bench/many-queues.sh [repetitions]      (default 3; about 4 minutes)
#   ITEMS=100000 FILL=100000 src/bench/many-queues.sh 1     (a quick run)
# Builds the app if needed; installs memcached (Debian) if missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
ITEMS=${ITEMS:-500000}
FILL=${FILL:-1000000}
QUEUES=(--queues 10000 --cycle 100 -q mq)
SPLIT=(-m split -c 200 --producers 100 "${QUEUES[@]}")
DATA=$(scratch_dir)
MC_PORT=$(free_port); DJ_PORT=$(free_port)
start_memcached "$MC_PORT"
start_darner "$DATA" "$DJ_PORT"
sleep 2
echo "idle_rss_mb=$(rss_mb)"
loadgen -p "$DJ_PORT" "${SPLIT[@]}" -s 100000 -g 100000 --label warmup > /dev/null
loadgen -p "$MC_PORT" --target memcached "${SPLIT[@]}" -s 100000 -g 100000 --label warmup > /dev/null
peak_rss_start
for r in $(seq "$REPS"); do
    loadgen -p "$MC_PORT" --target memcached "${SPLIT[@]}" -s "$ITEMS" -g "$ITEMS" --label memcached
    loadgen -p "$DJ_PORT" "${SPLIT[@]}" -s "$ITEMS" -g "$ITEMS" --label darner
done | tee "$BENCH_OUT/many-queues.txt"
echo "peak_rss_mb=$(peak_rss_stop) after_rss_mb=$(rss_mb)"
heap_check
python3 - "$BENCH_OUT/many-queues.txt" <<'PY'
import sys
from results import rows, by, median, total
runs = by(rows(sys.argv[1]), 'label')
def med(label, key):
    return median(runs[label], key)
print("\n| 10,000 queues, 100 producers + 100 consumers | items/s (taken) | sets/s | requests/s | misses | p50 / p99 us | errors |")
print("|---|---|---|---|---|---|---|")
for label in ('memcached', 'darner'):
    print(f"| {label} | {med(label, 'hits/s'):,.0f} | {med(label, 'sets/s'):,.0f} | {med(label, 'total/s'):,.0f} | "
          f"{med(label, 'misses'):,.0f} | {med(label, 'p50us'):,.0f} / {med(label, 'p99us'):,.0f} | "
          f"{total(runs[label], 'errors')} |")
print(f"\ndarner / memcached, items/s: {med('darner', 'hits/s') / med('memcached', 'hits/s'):.2f}")
PY

echo
loadgen -p "$DJ_PORT" -c 100 "${QUEUES[@]}" -s "$FILL" -g 0 --label "fill"
sleep 2
echo "backlog_rss_mb=$(rss_mb) data_dir=$(du -sh "$DATA" | cut -f1)"
t0=$(now_ns); stop_darner; t1=$(now_ns)
echo "stop_s=$(seconds_between "$t0" "$t1")"
first_answer "$DJ_PORT" mq_0 > "$BENCH_OUT/first-answer" &
poller=$!
t0=$(now_ns); start_darner "$DATA" "$DJ_PORT"; t1=$(now_ns)
wait "$poller"
t2=$(cat "$BENCH_OUT/first-answer")
[ "$t2" = never ] || t2=$(seconds_between "$t0" "$t2")
echo "restart_to_started_s=$(seconds_between "$t0" "$t1") restart_to_first_get_s=$t2" \
    "($(grep -o 'started in [0-9.]*s' "$BENCH_OUT/darner.log"); $(grep -o 'store opened in .*' "$BENCH_OUT/darner.log"))"
echo "after_restart_rss_mb=$(rss_mb)"
drain=$(loadgen -p "$DJ_PORT" -c 100 "${QUEUES[@]}" -s 0 -g "$FILL" --label drain)
echo "$drain"
case "$drain" in
    *" errors=0 misses=0 stale=$FILL "*) echo "drain: all $FILL items back after the restart, none else" ;;
    *) echo "drain: NOT the $FILL items set before the restart (see stale, misses, errors above)" ;;
esac
echo "drained_rss_mb=$(rss_mb)"
heap_check
