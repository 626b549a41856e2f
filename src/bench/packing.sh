#!/usr/bin/env bash
# Packing (issue 6, scenario 2): sets and gets at once (interleaved, 10 connections, 1 KiB items) on
# a queue that holds a standing backlog of 0, 100k, 1M and 5M items of 1 KiB. The backlog is set by
# the load generator first; the measured gets then take the oldest backlog items (counted as stale,
# not errors) while the sets add as many, so the backlog stays put. Prints the RESULT lines, a table
# with the throughput relative to the empty queue, and the server's RSS at each backlog: before
# the measured runs (idle), their peak (and the fill's), and after them.
#   src/bench/packing.sh [repetitions]      (default 3; about 4 minutes, needs 6 GiB free for 5M)
#   MAX_BACKLOG=1000000 src/bench/packing.sh 1          (stop at 1M)
#   MAX_BACKLOG=100000 REQUESTS=20000 src/bench/packing.sh 1     (a quick run)
# Builds the app if needed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
MAX_BACKLOG=${MAX_BACKLOG:-5000000}
REQUESTS=${REQUESTS:-100000}
DATA=$(scratch_dir)
PORT=$(free_port)
start_darner "$DATA" "$PORT"
sleep 2
echo "idle_rss_mb=$(rss_mb)"
loadgen -p "$PORT" -c 10 -s "$REQUESTS" -g "$REQUESTS" -i 1024 -q warmup --label warmup > /dev/null
queued=0
for backlog in 0 100000 1000000 5000000; do
    [ "$backlog" -le "$MAX_BACKLOG" ] || break
    if [ "$backlog" -gt "$queued" ]; then
        # about 1 GiB a million items, and room for LevelDB's compactions
        need_disk_gib $(( backlog / 1000000 + 1 )) "$DATA"
        peak_rss_start
        loadgen -p "$PORT" -c 10 -s $((backlog - queued)) -g 0 -i 1024 --label "fill=$backlog"
        fill_peak=$(peak_rss_stop)
        queued=$backlog
        sleep 2
    else
        fill_peak=-
    fi
    before=$(rss_mb)
    peak_rss_start
    for r in $(seq "$REPS"); do
        loadgen -p "$PORT" -m interleaved -c 10 -s "$REQUESTS" -g "$REQUESTS" -i 1024 --label "backlog=$backlog"
    done
    echo "RSS backlog=$backlog before_mb=$before peak_mb=$(peak_rss_stop) after_mb=$(rss_mb) fill_peak_mb=$fill_peak data_dir=$(du -sh "$DATA" | cut -f1)"
done | tee "$BENCH_OUT/packing.txt"
python3 - "$BENCH_OUT/packing.txt" <<'PY'
import sys
from results import rows, median, median_run, total
runs = {}
for r in rows(sys.argv[1]):
    if r['label'].startswith('backlog='):
        runs.setdefault(int(r['label'].split('=')[1]), []).append(r)
rss = {int(r['backlog']): r for r in rows(sys.argv[1], 'RSS')}
empty = median(runs[0], 'total/s')
print("\n| backlog (1 KiB items) | sets+gets/s | relative to empty | p50 / p99 us | stale | errors | RSS before / peak / after MB | peak while filling MB |")
print("|---|---|---|---|---|---|---|---|")
for b in sorted(runs):
    rs, m2 = runs[b], rss[b]
    rate, m = median(rs, 'total/s'), median_run(rs)
    print(f"| {b:,} | {rate:,.0f} | {rate / empty:.2f} | {m['p50us']} / {m['p99us']} | {total(rs, 'stale'):,} | "
          f"{total(rs, 'errors')} | {m2['before_mb']} / {m2['peak_mb']} / {m2['after_mb']} | {m2['fill_peak_mb']} |")
PY
heap_check
