# Shared by the benchmark scripts: build, ports, starting and stopping darner-jvm, the load generator.
# Source it from a script in this directory.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
CP=target/classes:$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram -name 'HdrHistogram-*.jar' | head -1)
# the start command's JVM settings (README)
JVM_FLAGS="-XX:+UseSerialGC -Xmx64m -Xmn12m ${EXTRA_JVM_FLAGS:-}"
BENCH_OUT=$(mktemp -d)
DARNER_PID=

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_darner DATA_DIR PORT [ENV=VALUE ...]: starts the server and waits until it is ready
start_darner() {
    local data=$1 port=$2; shift 2
    rm -f "$BENCH_OUT/darner.log"
    env MALLOC_ARENA_MAX=1 DARNER_PORT="$port" QUARKUS_HTTP_PORT="$(free_port)" DARNER_DATA_DIR="$data" "$@" \
        java $JVM_FLAGS -jar "$JAR" > "$BENCH_OUT/darner.log" 2>&1 &
    DARNER_PID=$!
    until grep -qs "started in" "$BENCH_OUT/darner.log"; do
        kill -0 "$DARNER_PID" 2>/dev/null || { cat "$BENCH_OUT/darner.log"; return 1; }
        sleep 0.02
    done
}

# stop_darner: SIGTERM (a graceful stop) and wait until the process is gone
stop_darner() {
    [ -n "$DARNER_PID" ] || return 0
    kill "$DARNER_PID" 2>/dev/null || true
    while kill -0 "$DARNER_PID" 2>/dev/null; do sleep 0.05; done
    DARNER_PID=
}

rss_mb() { echo $(( $(awk '/VmRSS/{print $2}' /proc/"$DARNER_PID"/status) / 1024 )); }

loadgen() { java -cp "$CP" io.darner.loadgen.LoadGen --timeout 30 "$@" | grep '^RESULT'; }
