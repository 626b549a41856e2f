#!/usr/bin/env bash
# Every benchmark in turn: core.sh and sync.sh (issues 2 and 3), the six scenarios of issue 6, then
# tls.sh (issue 17).
# Everything goes to one output file, whose path is printed first and last.
#   src/bench/all.sh [repetitions] [output file]      (default 3; 30 to 50 minutes)
#   SCENARIOS="flood reliable" src/bench/all.sh 1      (some of them)
# A scenario that fails is reported and the next one runs; the exit status says whether any failed.
set -uo pipefail
cd "$(dirname "$0")"
REPS=${1:-3}
OUT=${2:-$(mktemp --suffix=-bench.txt)}
OUT=$(realpath "$OUT")
SCENARIOS=${SCENARIOS:-core sync flood packing fairness large-items many-queues reliable tls}
echo "output: $OUT"
failed=
for s in $SCENARIOS; do
    args=("$REPS")
    [ "$s" = sync ] && args=() # sync.sh takes no repetitions
    (
        echo "=== $s.sh ${args[*]}  ($(date -u +%FT%TZ), $(git rev-parse --short HEAD))"
        start=$SECONDS
        ./"$s".sh "${args[@]}" 2>&1
        status=$?
        echo "=== $s.sh: exit $status after $((SECONDS - start)) s"
        echo
        exit "$status"
    ) | tee -a "$OUT"
    [ "${PIPESTATUS[0]}" -eq 0 ] || failed="$failed $s"
done
echo "failed:${failed:- none}" | tee -a "$OUT"
echo "output: $OUT"
[ -z "$failed" ]
