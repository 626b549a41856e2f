#!/usr/bin/env bash
# Other clients' latency beside slow and stuck clients (issue 5, docs/reliability.md): the load
# generator against the packaged server alone, then again while hostile clients hold on:
#   - IDLE connections opened and left idle,
#   - HALF connections that sent half a set (header and part of the data) and stalled,
#   - FLOOD connections that pipeline peeks of a 16 KiB item and never read a reply.
# Prints the RESULT lines of both runs, the server's RSS and what stats says it read and wrote.
#   src/bench/stuck-clients.sh [repetitions]
# Builds the app if needed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPS=${1:-3}
IDLE=${IDLE:-2000}
HALF=${HALF:-200}
FLOOD=${FLOOD:-20}
PORT=$(free_port)
start_darner "$(scratch_dir)" "$PORT"
stat() { python3 -c "
import socket,sys
s=socket.create_connection(('127.0.0.1',$PORT)); s.sendall(b'stats\r\n'); b=b''
while not b.endswith(b'END\r\n'): b+=s.recv(65536)
print(dict(l.split(' ')[1:3] for l in b.decode().split('\r\n') if l.startswith('STAT'))['$1'])"; }
run() { for r in $(seq "$REPS"); do loadgen -p "$PORT" -c 10 -s 100000 -g 100000 -i 64 --label "$1"; done; }

loadgen -p "$PORT" -c 10 -s 200000 -g 200000 -i 64 --label warmup > /dev/null
echo "# alone: rss_mb=$(rss_mb)"
run alone

cat > "$BENCH_OUT/stuck.py" <<EOF
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
python3 "$BENCH_OUT/stuck.py" > "$BENCH_OUT/stuck.log" 2>&1 &
track $!
until grep -q ready "$BENCH_OUT/stuck.log" 2>/dev/null; do sleep 0.1; done
sleep 2
READ1=$(stat bytes_read); WRITTEN1=$(stat bytes_written)
echo "# beside $IDLE idle, $HALF half-request and $FLOOD never-reading connections: rss_mb=$(rss_mb) curr_connections=$(stat curr_connections)"
run beside-stuck
READ2=$(stat bytes_read); WRITTEN2=$(stat bytes_written)
echo "# during the stuck runs the server read $(( (READ2 - READ1) / 1048576 )) MiB and wrote $(( (WRITTEN2 - WRITTEN1) / 1048576 )) MiB (the load generator's traffic included); rss_mb=$(rss_mb)"
