#!/usr/bin/env bash
# Issue 12's benchmark: darner-jvm (the README's start command) beside the C++ Darner 0.2.0 and
# memcached, all driven by Darner's own bench tool in one run, through ../shared/anchors/side-by-side.sh
# (requests/s, the server's CPU microseconds per request from /proc, db's p99). Skipped when the
# anchors are not there.
#   src/bench/vs-darner.sh                      (CONNS, SETS, REPS as side-by-side.sh takes them)
#   EXTRA_JVM_FLAGS=... DARNER_EVENT_LOOPS=1 src/bench/vs-darner.sh
#   DARNER_STORE_ENGINE=java src/bench/vs-darner.sh   (the pure-Java LevelDB; issue 18)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ANCHORS=${ANCHORS:-../shared/anchors}
if [ ! -x "$ANCHORS/side-by-side.sh" ]; then
    echo "no $ANCHORS/side-by-side.sh: nothing to compare with"
    exit 0
fi
PORT=$(free_port)
start_darner "$(scratch_dir)" "$PORT" ${DARNER_EVENT_LOOPS:+DARNER_EVENT_LOOPS=$DARNER_EVENT_LOOPS} \
    ${DARNER_STORE_ENGINE:+DARNER_STORE_ENGINE=$DARNER_STORE_ENGINE}
grep -o "queue protocol on .*transport)" "$BENCH_OUT/darner.log" || true
grep -o "store engine: [^:]*" "$BENCH_OUT/darner.log" || true
"$ANCHORS/side-by-side.sh" "$PORT" "$DARNER_PID"
echo "rss_mb_after=$(rss_mb)"
