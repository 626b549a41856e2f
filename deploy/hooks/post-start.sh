#!/bin/bash
# postStart: puts back the status that pre-stop.sh replaced by quiescent, once the server answers.
# Without it a restarted server would stay quiescent (the status is kept across restarts), never
# become ready, and a rolling restart would stop at its first pod. A status set on purpose
# (readonly while a server is drained) is what was saved, so it survives the restart too.
set -u
. "$(dirname "$0")/darner-status.sh"

[ -e "$SAVED_STATUS_FILE" ] || exit 0
saved=$(cat "$SAVED_STATUS_FILE")
# as long as the startup probe allows (60 x 5 s)
for ((waited = 0; waited < ${DARNER_START_SECONDS:-300}; waited++)); do
    if darner_call status >/dev/null; then
        set_status "$saved" && rm -f "$SAVED_STATUS_FILE" && exit 0
        echo "post-start: could not put back status $saved" >&2
        exit 1
    fi
    sleep 1
done
echo "post-start: the server did not answer within ${DARNER_START_SECONDS:-300} s" >&2
exit 1
