#!/usr/bin/env bash
# The cost of TLS on the queue port (issue 17): two darner-jvm servers, one plaintext and one
# serving TLS (a throw-away P-256 certificate made here with openssl; TLS 1.3, no client
# certificates), the same load generator (--tls for the second), alternating runs.
#   src/bench/tls.sh [repetitions]
# 64-byte items, 100k sets then 100k gets at 1, 10 and 100 connections. The load generator opens
# its connections before it times the requests: a table of how long that took follows. A fresh
# load generator JVM is slow at its first handshakes (100 took 10 s on the busy machine), so the
# server waits up to 60 s for a handshake here instead of the registry's 10 s. The load generator
# does its side of TLS (the JDK's SSLEngine, as the server) on the same 2 cores: with its default
# 2 selector threads it, not the server, limited the TLS runs at 100 connections (2.8k req/s with 1
# thread, 10.7k with 4), so both kinds of run get 4 threads (at most one per connection).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
CERTS=$(scratch_dir)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$CERTS/ca.key" \
    -out "$CERTS/ca.crt" -days 2 -subj "/CN=bench authority" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$CERTS/server.key" \
    -out "$CERTS/server.csr" -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > "$CERTS/ext"
openssl x509 -req -in "$CERTS/server.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" -set_serial 1 -days 2 \
    -extfile "$CERTS/ext" -out "$CERTS/server.crt" 2>/dev/null

PLAIN_PORT=$(free_port); TLS_PORT=$(free_port)
start_darner "$(scratch_dir)" "$PLAIN_PORT"
start_darner "$(scratch_dir)" "$TLS_PORT" DARNER_TLS_CONFIGURATION_NAME=bench \
    QUARKUS_TLS__BENCH__KEY_STORE_PEM__0__CERT="$CERTS/server.crt" QUARKUS_TLS__BENCH__KEY_STORE_PEM__0__KEY="$CERTS/server.key" \
    QUARKUS_TLS__BENCH__HANDSHAKE_TIMEOUT=60S
TLS=(--tls "$CERTS/ca.crt")
loadgen -p "$PLAIN_PORT" -c 10 -s 300000 -g 300000 -i 64 --label warmup > /dev/null
loadgen -p "$TLS_PORT" "${TLS[@]}" -c 10 -s 300000 -g 300000 -i 64 --label warmup > /dev/null
# connect_ms LABEL CONNS: how long the run just made took to open its connections
connect_ms() {
    echo "CONNECT label=$1 conns=$2 ms=$(grep -o 'connected [0-9]* of [0-9]* in [0-9.]* ms' "$BENCH_OUT/loadgen.out" | awk '{print $6}')"
}
for c in 1 10 100; do
    for r in $(seq "$REPS"); do
        loadgen -p "$PLAIN_PORT" -c "$c" -s 100000 -g 100000 -i 64 --threads 4 --label plain
        connect_ms plain "$c"
        loadgen -p "$TLS_PORT" "${TLS[@]}" -c "$c" -s 100000 -g 100000 -i 64 --threads 4 --label tls
        connect_ms tls "$c"
    done
done | tee "$BENCH_OUT/results.txt"
python3 - "$BENCH_OUT/results.txt" <<'PY'
import sys
from results import rows, by, median, median_run
runs = by(rows(sys.argv[1]), 'label', 'conns')
print("\n| conns | plaintext req/s | TLS req/s | TLS / plaintext | plaintext p50 / p99 µs | TLS p50 / p99 µs |")
print("|---|---|---|---|---|---|")
for c in sorted({k[1] for k in runs}):
    plain, tls = median(runs[('plain', c)], 'total/s'), median(runs[('tls', c)], 'total/s')
    p, t = median_run(runs[('plain', c)]), median_run(runs[('tls', c)])
    print(f"| {c} | {plain:,.0f} | {tls:,.0f} | {tls / plain:.2f} | {p['p50us']} / {p['p99us']} | {t['p50us']} / {t['p99us']} |")
connects = by(rows(sys.argv[1], 'CONNECT'), 'label', 'conns')
print("\n| connections opened | plaintext ms | TLS ms (handshakes included) |")
print("|---|---|---|")
for c in sorted({k[1] for k in connects}):
    plain, tls = median(connects[('plain', c)], 'ms'), median(connects[('tls', c)], 'ms')
    print(f"| {c} | {plain:,.1f} | {tls:,.1f} |")
PY
echo "logs and results: $BENCH_OUT"
