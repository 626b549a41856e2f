#!/usr/bin/env bash
# Other clients' latency beside slow and stuck clients (issue 5, docs/reliability.md): the load
# generator against the packaged server alone, then again while hostile clients hold on:
#   - IDLE connections opened and left idle,
#   - HALF connections that sent half a set (header and part of the data) and stalled,
#   - FLOOD connections that pipeline peeks of a 16 KiB item and never read a reply.
# Prints the RESULT lines of both runs, the server's RSS and what stats says it read and wrote.
#   src/bench/stuck-clients.sh [repetitions]
# Needs: a built app (./mvnw package -DskipTests), python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${1:-3}
IDLE=${IDLE:-2000}
HALF=${HALF:-200}
FLOOD=${FLOOD:-20}
JAR=target/quarkus-app/quarkus-run.jar
CP=target/classes:$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram -name 'HdrHistogram-*.jar' | head -1)
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
JVM_FLAGS="-XX:+UseSerialGC -Xmx64m -Xmn12m" # the README's start command
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DATA=$(mktemp -d)
PORT=$(free_port); HTTP_PORT=$(free_port)
OUT=$(mktemp -d)
cleanup() { kill "$(cat "$OUT/stuck.pid" 2>/dev/null)" "$(cat "$OUT/dj.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

MALLOC_ARENA_MAX=1 DARNER_PORT=$PORT QUARKUS_HTTP_PORT=$HTTP_PORT DARNER_DATA_DIR=$DATA \
    java $JVM_FLAGS -jar "$JAR" > "$OUT/dj.log" 2>&1 & echo $! > "$OUT/dj.pid"
until grep -q "started in" "$OUT/dj.log" 2>/dev/null; do sleep 0.05; done
rss_mb() { echo $(( $(awk '/VmRSS/{print $2}' /proc/"$(cat "$OUT/dj.pid")"/status) / 1024 )); }
stat() { python3 -c "
import socket,sys
s=socket.create_connection(('127.0.0.1',$PORT)); s.sendall(b'stats\r\n'); b=b''
while not b.endswith(b'END\r\n'): b+=s.recv(65536)
print(dict(l.split(' ')[1:3] for l in b.decode().split('\r\n') if l.startswith('STAT'))['$1'])"; }
loadgen() { java -cp "$CP" io.darner.loadgen.LoadGen -p "$PORT" --timeout 30 "$@" | grep '^RESULT'; }
run() { for r in $(seq "$REPS"); do loadgen -c 10 -s 100000 -g 100000 -i 64 --label "$1"; done; }

loadgen -c 10 -s 200000 -g 200000 -i 64 --label warmup > /dev/null
echo "# alone: rss_mb=$(rss_mb)"
run alone

cat > "$OUT/stuck.py" <<EOF
import socket, threading, time
port = $PORT
held = []
item = b'x' * 16384
s = socket.create_connection(('127.0.0.1', port)); s.sendall(b'set stuck_item 0 0 16384\r\n' + item + b'\r\n'); s.recv(100)
for i in range($IDLE):
    held.append(socket.create_connection(('127.0.0.1', port)))
for i in range($HALF):
    c = socket.create_connection(('127.0.0.1', port)); c.sendall(b'set stuck_half 0 0 100\r\nhalf of the da'); held.append(c)
def flood(c):
    try:
        c.sendall(b'get stuck_item/peek\r\n' * 200000)  # 3 GiB of replies, never read
    except OSError:
        pass
for i in range($FLOOD):
    c = socket.create_connection(('127.0.0.1', port)); held.append(c)
    threading.Thread(target=flood, args=(c,), daemon=True).start()
print('stuck clients ready', flush=True)
time.sleep(3600)
EOF
python3 "$OUT/stuck.py" > "$OUT/stuck.log" 2>&1 & echo $! > "$OUT/stuck.pid"
until grep -q ready "$OUT/stuck.log" 2>/dev/null; do sleep 0.1; done
sleep 2
READ1=$(stat bytes_read); WRITTEN1=$(stat bytes_written)
echo "# beside $IDLE idle, $HALF half-request and $FLOOD never-reading connections: rss_mb=$(rss_mb) curr_connections=$(stat curr_connections)"
run beside-stuck
READ2=$(stat bytes_read); WRITTEN2=$(stat bytes_written)
echo "# during the stuck runs the server read $(( (READ2 - READ1) / 1048576 )) MiB and wrote $(( (WRITTEN2 - WRITTEN1) / 1048576 )) MiB (the load generator's traffic included); rss_mb=$(rss_mb)"
