#!/usr/bin/env bash
# The client matrix's checks (docs/clients.md) for libmemcached's command-line tools against the
# server at 127.0.0.1:$DARNER_PORT. memccp stores a file under its name; memccat prints the values
# of its keys, one get each, on one connection, which ends when it exits. Prints "ok <check>" as
# each passes; a failed check exits with status 1.
set -euo pipefail
servers="--servers=127.0.0.1:$DARNER_PORT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# put QUEUE VALUE [memccp options]: stores VALUE (the file QUEUE holds it) on QUEUE
put() {
    printf '%s' "$2" > "$1"
    memccp "$servers" "${@:3}" "$1"
}

# take KEY...: what memccat prints for the keys, each value on a line of its own (a miss prints nothing)
take() {
    memccat "$servers" "$@" 2>/dev/null || true
}

expect() {
    if [ "$1" != "$2" ]; then
        echo "failed: $3: got '$1', expected '$2'" >&2
        exit 1
    fi
}

q=c-libmemcached-
put ${q}fifo one; put ${q}fifo two; put ${q}fifo three
expect "$(take ${q}fifo ${q}fifo ${q}fifo ${q}fifo)" $'one\ntwo\nthree' "FIFO order, then empty"
echo "ok fifo"

put ${q}flags flagged --flags=51966
expect "$(take --flags ${q}flags)" $'51966\nflagged' "flags"
echo "ok flags"

started=$(date +%s%N)
expect "$(take ${q}wait/t=500)" "" "nothing to take"
waited=$(( ($(date +%s%N) - started) / 1000000 ))
[ "$waited" -ge 450 ] || { echo "failed: the get did not wait ($waited ms)" >&2; exit 1; }
(sleep 0.2; put ${q}wait late) &
started=$(date +%s%N)
expect "$(take ${q}wait/t=3000)" "late" "the wait is answered by the item set meanwhile"
waited=$(( ($(date +%s%N) - started) / 1000000 ))
[ "$waited" -ge 150 ] && [ "$waited" -lt 2500 ] || { echo "failed: answered after $waited ms" >&2; exit 1; }
wait
echo "ok blocking get"

put ${q}reliable a; put ${q}reliable b
expect "$(take ${q}reliable/t=100/open ${q}reliable/close/open ${q}reliable/close ${q}reliable)" $'a\nb' "open, confirm and open, confirm"
echo "ok reliable read"

put ${q}rollback kept
expect "$(take ${q}rollback/open)" "kept" "open, then memccat exits"
expect "$(take ${q}rollback/t=2000/open ${q}rollback/close)" "kept" "back at the head once the reader was gone"
echo "ok rollback on disconnect"

put ${q}abort again
expect "$(take ${q}abort/open ${q}abort/abort ${q}abort/open ${q}abort/close ${q}abort)" $'again\nagain' "the aborted item comes again"
echo "ok abort"

put ${q}m1 first; put ${q}m2 second
expect "$(take ${q}m1 ${q}m-empty ${q}m2)" $'first\nsecond' "several keys"
echo "ok multi-key get"

head -c 1048576 /dev/urandom > ${q}large
memccp "$servers" ${q}large
take ${q}large/open ${q}large/close > large.back
cmp -s -n 1048576 ${q}large large.back && [ "$(stat -c %s large.back)" = 1048577 ] || { echo "failed: 1 MiB item" >&2; exit 1; }
echo "ok 1 MiB item"
