# Shared by the benchmark scripts: build, ports, starting and stopping darner-jvm and memcached,
# RSS sampling, the load generator, and cleaning up on exit. Source it from a script in this
# directory; it works from the repository root and from src/bench alike.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export PYTHONPATH="$PWD/src/bench${PYTHONPATH:+:$PYTHONPATH}" # results.py, for the scripts' tables
JAR=target/quarkus-app/quarkus-run.jar
LOADGEN_JAR=target/loadgen.jar # the load generator, built apart from the server (docs/loadgen.md)
# Build if there is no build, or if a source is newer than it.
if [ ! -f "$JAR" ] || [ ! -f "$LOADGEN_JAR" ] \
        || [ -n "$(find src/main pom.xml -newer "$JAR" -print -quit)" ] \
        || [ -n "$(find src/loadgen pom.xml -newer "$LOADGEN_JAR" -print -quit)" ]; then
    ./mvnw -q -B package -DskipTests
fi
START=target/quarkus-app/darner # the README's start script
# its JVM settings (JAVA_OPTS replaces them in the script), and any a benchmark adds
JVM_FLAGS="-XX:+UseSerialGC -Xmx64m -Xmn4m -XX:CompileThresholdScaling=10 -XX:+ExitOnOutOfMemoryError ${EXTRA_JVM_FLAGS:-}"
BENCH_OUT=$(mktemp -d)    # logs and results, kept
SCRATCH=$(mktemp -d)      # data directories, removed on exit
DARNER_PID=
RSS_SAMPLER=
# Thousands of connections need as many descriptors, in the client and in the servers started from
# here: 65536, or as many as the hard limit allows where it is lower (a container without CAP_SYS_RESOURCE).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# Every process started here is listed in $BENCH_OUT/pids, also from subshells (the loop of a
# pipeline is one), so that on exit, however the script ends, each is stopped and waited for.
# A process stopped on purpose is untracked at once, so that its id, reused later, is left alone.
track() { echo "$1" >> "$BENCH_OUT/pids"; }
untrack() { sed -i "/^$1\$/d" "$BENCH_OUT/pids"; }
cleanup() {
    local pid pids
    pids=$(cat "$BENCH_OUT/pids" 2>/dev/null || true)
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    for pid in $pids; do
        for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# scratch_dir: prints a new directory for data, removed on exit
scratch_dir() { mktemp -d -p "$SCRATCH"; }

# start_darner DATA_DIR PORT [ENV=VALUE ...]: starts the server and waits until it is ready
start_darner() {
    local data=$1 port=$2; shift 2
    # an earlier server's log is kept beside, for a look afterwards
    [ ! -f "$BENCH_OUT/darner.log" ] || mv "$BENCH_OUT/darner.log" "$BENCH_OUT/darner.$(date +%s%N).log"
    env JAVA_OPTS="$JVM_FLAGS" DARNER_PORT="$port" QUARKUS_HTTP_PORT="$(free_port)" DARNER_DATA_DIR="$data" "$@" \
        "$START" > "$BENCH_OUT/darner.log" 2>&1 &
    DARNER_PID=$!
    track "$DARNER_PID"
    until grep -qs "started in" "$BENCH_OUT/darner.log"; do
        kill -0 "$DARNER_PID" 2>/dev/null || { cat "$BENCH_OUT/darner.log"; return 1; }
        sleep 0.02
    done
}

# stop_darner: SIGTERM (a graceful stop) and wait until the process is gone; after 30 s (a JVM out
# of heap may fail to run its SIGTERM handler) SIGKILL, and say so
stop_darner() {
    [ -n "$DARNER_PID" ] || return 0
    kill "$DARNER_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$DARNER_PID" 2>/dev/null; do
        if [ $waited -eq 600 ]; then
            echo "darner did not stop within 30 s of SIGTERM: SIGKILL" >&2
            kill -9 "$DARNER_PID" 2>/dev/null || true
        fi
        sleep 0.05; waited=$((waited + 1))
    done
    untrack "$DARNER_PID"
    DARNER_PID=
}

# start_memcached PORT [ARGS ...]: memcached with 2 threads (installed from Debian if missing), the ceiling
start_memcached() {
    local port=$1; shift
    command -v memcached >/dev/null || { apt-get update -qq && apt-get install -y -qq memcached >/dev/null; }
    memcached -u root -t 2 -p "$port" -l 127.0.0.1 "$@" &
    local pid=$!
    track "$pid"
    until python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.02
    done
}

# heap_check: says so if the server has logged an OutOfMemoryError since it started
heap_check() {
    if grep -q OutOfMemoryError "$BENCH_OUT/darner.log"; then
        echo "OUT OF HEAP: the server logged an OutOfMemoryError (see $BENCH_OUT/darner.log)"
    fi
}

rss_mb() { echo $(( $(awk '/VmRSS/{print $2}' /proc/"$DARNER_PID"/status) / 1024 )); }

# peak_rss_start: samples the server's VmRSS every 100 ms in the background, keeping the highest;
# the sampler writes it out when stopped (or when the server is gone)
peak_rss_start() {
    local pid=$DARNER_PID file=$BENCH_OUT/peak_rss_kb
    rm -f "$file"
    (
        peak=0
        finish() { echo "$peak" > "$file.tmp" && mv "$file.tmp" "$file"; exit 0; }
        trap finish TERM
        while [ -e /proc/"$pid" ]; do
            while read -r key kb _; do
                if [ "$key" = VmRSS: ] && [ "$kb" -gt "$peak" ]; then peak=$kb; fi
            done 2>/dev/null < /proc/"$pid"/status
            sleep 0.1
        done
        finish
    ) &
    RSS_SAMPLER=$!
    track "$RSS_SAMPLER"
}

# peak_rss_stop: ends the sampler and prints the peak it saw, in MB. (It waits for the sampler's
# file, not the process: called as $(peak_rss_stop) it runs in a subshell, which cannot wait.)
peak_rss_stop() {
    kill "$RSS_SAMPLER" 2>/dev/null || true
    until [ -s "$BENCH_OUT/peak_rss_kb" ]; do sleep 0.02; done
    untrack "$RSS_SAMPLER"
    echo $(( $(cat "$BENCH_OUT/peak_rss_kb") / 1024 ))
}

# need_disk_gib GIB DIR: fails unless the file system of DIR has GIB GiB free
need_disk_gib() {
    local free; free=$(df --output=avail -B1G "$2" | tail -1 | tr -d ' ')
    [ "$free" -ge "$1" ] || { echo "need $1 GiB free in $2, have $free GiB" >&2; return 1; }
}

now_ns() { date +%s%N; }
# seconds_between T0_NS T1_NS: the time between two now_ns readings, in seconds
seconds_between() { python3 -c 'import sys; print(round((int(sys.argv[2]) - int(sys.argv[1])) / 1e9, 2))' "$1" "$2"; }

# loadgen ARGS...: runs the load generator and prints its RESULT line. The whole output is kept in
# $BENCH_OUT/loadgen.out (for the per-phase rows); when it reports errors, the first ones go to
# stderr, and the run goes on (the RESULT line counts them). A bad command line stops the script.
# Two load generators at once need LOADGEN_OUT=FILE on one of them.
loadgen() {
    local status=0 out=${LOADGEN_OUT:-$BENCH_OUT/loadgen.out}
    java -jar "$LOADGEN_JAR" --timeout 30 "$@" > "$out" 2>&1 || status=$?
    grep '^RESULT' "$out" || true
    if [ "$status" -ne 0 ]; then
        grep -E '^(loadgen|errors|unfinished|  )' "$out" | head -12 >&2
    fi
    [ "$status" -ne 2 ]
}

# first_answer PORT QUEUE: tries `get QUEUE/peek` every 10 ms until a server on PORT answers it
# (VALUE or END), for at most 2 minutes; prints when it did, as now_ns would, or "never"
first_answer() {
    python3 - "$1" "$2" <<'PY'
import socket, sys, time
port, request = int(sys.argv[1]), f"get {sys.argv[2]}/peek\r\n".encode()
deadline = time.time() + 120
while time.time() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(request)
            if s.makefile("rb").read(5) in (b"VALUE", b"END\r\n"):
                print(time.time_ns())
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.01)
print("never")
PY
}
