#!/usr/bin/env bash
# Group commit: sets/s at 1, 10 and 100 connections with darner.sync=never and =always.
#   src/bench/sync.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
for sync in never always; do
    data=$(scratch_dir); port=$(free_port)
    start_darner "$data" "$port" DARNER_SYNC=$sync
    loadgen -p "$port" -c 10 -s 100000 -g 100000 -i 64 --label warmup > /dev/null
    for c in 1 10 100; do
        loadgen -p "$port" -c "$c" -s $((c == 1 ? 20000 : 100000)) -g 0 -i 64 --label "sync=$sync"
    done
    stop_darner
done | tee "$BENCH_OUT/sync.txt"
python3 - "$BENCH_OUT/sync.txt" <<'PY'
import sys
from results import rows, by
runs = by(rows(sys.argv[1]), 'label', 'conns')
print("\n| conns | sync=never sets/s | sync=always sets/s | always/never | always p99 us |")
print("|---|---|---|---|---|")
for c in (1, 10, 100):
    n, a = runs[('sync=never', c)][-1], runs[('sync=always', c)][-1]
    print(f"| {c} | {float(n['sets/s']):,.0f} | {float(a['sets/s']):,.0f} | {float(a['sets/s']) / float(n['sets/s']):.2f} | {a['p99us']} |")
PY
