#!/usr/bin/env bash
# Reliable consumers (issue 6, scenario 6): the loop `get q/t=500/close/open` (each get confirms the
# previous item and opens the next; a last `get q/close` confirms the final one) at 1, 10 and 100
# consumers, items/s. Each run first fills the queue (ITEMS sets over as many connections), then
# the consumers take every item: one run of the load generator, so each item is checked as this
# run's, delivered once and in order. Beside it, the same run with plain gets. Prints the RESULT
# lines, the get phase's latency, and a table of items/s, reliable against plain.
#   src/bench/reliable.sh [repetitions]      (default 3; about 3 minutes)
#   ITEMS=20000 src/bench/reliable.sh 1       (a quick run)
# Builds the app if needed. (memcached has no reliable read, so it is not run here.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
ITEMS=${ITEMS:-100000}
PORT=$(free_port)
start_darner "$(scratch_dir)" "$PORT"
sleep 2
echo "idle_rss_mb=$(rss_mb)"
loadgen -p "$PORT" -c 10 -s "$ITEMS" -g "$ITEMS" --get-options /t=500/close/open --label warmup > /dev/null
# run LABEL CONNS ARGS...: one load generator run, and its get phase's row as a GET_PHASE line
run() {
    local label=$1 c=$2; shift 2
    loadgen -p "$PORT" -c "$c" -s "$ITEMS" -g "$ITEMS" --label "$label" "$@"
    awk -v label="$label" -v c="$c" \
        '$1 == "get" { print "GET_PHASE label=" label " conns=" c " p50us=" $5 " p99us=" $7 " p999us=" $8 }' \
        "$BENCH_OUT/loadgen.out"
}
peak_rss_start
for c in 1 10 100; do
    for r in $(seq "$REPS"); do
        run reliable "$c" --get-options /t=500/close/open
        run plain "$c"
    done
done | tee "$BENCH_OUT/reliable.txt"
echo "peak_rss_mb=$(peak_rss_stop) after_rss_mb=$(rss_mb)"
python3 - "$BENCH_OUT/reliable.txt" <<'PY'
import sys
from results import rows, by, median, total
runs = by(rows(sys.argv[1]), 'label', 'conns')
phases = by(rows(sys.argv[1], 'GET_PHASE'), 'label', 'conns')
print("\n| consumers | reliable items/s | plain gets/s | reliable / plain | reliable get p50 / p99 us | errors | misses |")
print("|---|---|---|---|---|---|---|")
for c in sorted({k[1] for k in runs}):
    rel, plain = median(runs[('reliable', c)], 'hits/s'), median(runs[('plain', c)], 'hits/s')
    print(f"| {c} | {rel:,.0f} | {plain:,.0f} | {rel / plain:.2f} | {median(phases[('reliable', c)], 'p50us'):,.0f} / "
          f"{median(phases[('reliable', c)], 'p99us'):,.0f} | {total(runs[('reliable', c)], 'errors')} | "
          f"{total(runs[('reliable', c)], 'misses')} |")
PY
heap_check
