#!/usr/bin/env bash
# The issue-2 benchmark: darner-jvm side by side with memcached (2 threads), same load generator,
# same run. Prints the RESULT lines, the ratios, RSS figures and the restart time with a backlog.
#   src/bench/core.sh [repetitions]
# Needs: memcached (apt-get install -y memcached), a built app (./mvnw package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${1:-3}
JAR=target/quarkus-app/quarkus-run.jar
CP=target/classes:$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram -name 'HdrHistogram-*.jar' | head -1)
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
command -v memcached >/dev/null || { apt-get update -qq && apt-get install -y -qq memcached >/dev/null; }
# the start command's JVM settings (README)
JVM_FLAGS="-XX:+UseSerialGC -Xmx64m -Xmn12m"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DATA=$(mktemp -d)
MC_PORT=$(free_port); DJ_PORT=$(free_port); HTTP_PORT=$(free_port)
OUT=$(mktemp -d)
cleanup() { kill "$MC_PID" "$(cat "$OUT/dj.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

memcached -u root -t 2 -c 4096 -p "$MC_PORT" -l 127.0.0.1 & MC_PID=$!
start_darner() {
    MALLOC_ARENA_MAX=1 DARNER_PORT=$DJ_PORT QUARKUS_HTTP_PORT=$HTTP_PORT DARNER_DATA_DIR=$DATA \
        java $JVM_FLAGS -jar "$JAR" > "$OUT/dj.log" 2>&1 & echo $! > "$OUT/dj.pid"
    until grep -q "started in" "$OUT/dj.log"; do sleep 0.02; done
}
rss_mb() { echo $(( $(awk '/VmRSS/{print $2}' /proc/"$(cat "$OUT/dj.pid")"/status) / 1024 )); }
loadgen() { java -cp "$CP" io.darner.loadgen.LoadGen --timeout 30 "$@" | grep '^RESULT'; }

ulimit -n 65536 2>/dev/null || true
start_darner
sleep 2
echo "idle_rss_mb=$(rss_mb)"
loadgen -p "$DJ_PORT" -c 10 -s 300000 -g 300000 -i 64 --label warmup > /dev/null
loadgen -p "$MC_PORT" --target memcached -c 10 -s 300000 -g 300000 -i 64 --label warmup > /dev/null
for c in 1 10 100 1000; do
    for r in $(seq "$REPS"); do
        loadgen -p "$MC_PORT" --target memcached -c "$c" -s 100000 -g 100000 -i 64 --label "memcached"
        loadgen -p "$DJ_PORT" -c "$c" -s 100000 -g 100000 -i 64 --label "darner"
    done
done | tee "$OUT/results.txt"
python3 - "$OUT/results.txt" <<'PY'
import sys, re, statistics, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = dict(kv.split('=', 1) for kv in line.split()[1:])
    runs[(f['label'], int(f['conns']))].append(f)
print("\n| conns | memcached req/s | darner-jvm req/s | ratio | darner p50/p99/p999 us |")
print("|---|---|---|---|---|")
for c in sorted({k[1] for k in runs}):
    mc = statistics.median(float(r['total/s']) for r in runs[('memcached', c)])
    dj_runs = runs[('darner', c)]
    dj = statistics.median(float(r['total/s']) for r in dj_runs)
    med = sorted(dj_runs, key=lambda r: float(r['total/s']))[len(dj_runs) // 2]
    print(f"| {c} | {mc:,.0f} | {dj:,.0f} | {dj / mc:.2f} | {med['p50us']} / {med['p99us']} / {med['p999us']} |")
PY
echo
loadgen -p "$DJ_PORT" -c 10 -s 1000000 -g 0 -i 1024 --label fill-1GiB
sleep 2
echo "backlog_rss_mb=$(rss_mb) data_dir=$(du -sh "$DATA" | cut -f1)"
kill "$(cat "$OUT/dj.pid")"; while kill -0 "$(cat "$OUT/dj.pid")" 2>/dev/null; do sleep 0.05; done
t0=$(date +%s%N); start_darner; t1=$(date +%s%N)
echo "restart_with_backlog_s=$(python3 -c "print(round(($t1-$t0)/1e9, 2))") ($(grep -o 'started in [0-9.]*s' "$OUT/dj.log"))"
echo "after_restart_rss_mb=$(rss_mb)"
loadgen -p "$DJ_PORT" -c 10 -s 0 -g 1000000 -i 1024 --label drain-1GiB
sleep 5
echo "drained_rss_mb=$(rss_mb) anon_kb=$(awk '/RssAnon/{print $2}' /proc/"$(cat "$OUT/dj.pid")"/status) data_dir=$(du -sh "$DATA" | cut -f1)"
