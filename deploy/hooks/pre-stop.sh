#!/bin/bash
# preStop: stop taking new work and give consumers time to finish before the SIGTERM.
#   status quiescent refuses sets and gets but still takes confirms (get q/close), and makes the
#   readiness probe fail; producers and consumers move on to the other servers. After
#   DARNER_DRAIN_SECONDS the SIGTERM stops the server gracefully: blocked gets are answered END,
#   reads still open go back to their queues, the store is closed.
# The status is kept across restarts, so the one replaced is saved for post-start.sh.
set -u
. "$(dirname "$0")/darner-status.sh"

if ! current=$(darner_call status); then
    echo "pre-stop: the server does not answer: nothing to drain" >&2
    exit 0
fi
# Already saved: a start that did not put it back yet; what runs now is the hook's quiescent.
if [ ! -e "$SAVED_STATUS_FILE" ]; then
    printf '%s\n' "$current" > "$SAVED_STATUS_FILE.tmp" && mv "$SAVED_STATUS_FILE.tmp" "$SAVED_STATUS_FILE"
fi
set_status quiescent || echo "pre-stop: could not set quiescent" >&2
sleep "${DARNER_DRAIN_SECONDS:-20}"
