# Sourced by pre-stop.sh and post-start.sh: the server's status over its memcache port, with
# nothing but bash (its /dev/tcp), which the image has; with TLS on (deploy/tls), with openssl.

# The status a stop replaced, kept on the data volume until the next start puts it back.
# (LevelDB leaves files that are not its own alone.)
SAVED_STATUS_FILE="${DARNER_DATA_DIR:-/data}/.darner-status-before-stop"

# darner_call LINE: sends one request line, prints the first reply line; fails if nobody answers.
darner_call() {
    if [ -n "${DARNER_TLS_CONFIGURATION_NAME:-}" ]; then
        darner_call_tls "$1"
        return
    fi
    local reply
    { exec 3<>"/dev/tcp/127.0.0.1/${DARNER_PORT:-22133}"; } 2>/dev/null || return 1
    printf '%s\r\n' "$1" >&3
    IFS= read -r -t 5 reply <&3
    local read_status=$?
    exec 3>&-
    [ "$read_status" -eq 0 ] || return 1
    printf '%s\n' "${reply%$'\r'}"
}

# set_status WORD: changes the status; fails unless the server agreed.
set_status() {
    local reply
    reply=$(darner_call "status $1") || return 1
    if [ "$reply" != END ]; then
        echo "status $1 answered: $reply" >&2
        return 1
    fi
}

# darner_call_tls LINE: darner_call over TLS (the deploy/tls overlay), with openssl's client
# showing the pod's own certificate from DARNER_TLS_DIR (tls.crt, tls.key, ca.crt), which mutual
# TLS accepts. `quit` makes the server close the connection, so that the client ends.
darner_call_tls() {
    local dir="${DARNER_TLS_DIR:-/etc/darner/tls}" reply
    if ! command -v openssl >/dev/null 2>&1; then
        echo "TLS is on (DARNER_TLS_CONFIGURATION_NAME) and there is no openssl to talk to the server" >&2
        return 1
    fi
    reply=$(printf '%s\r\nquit\r\n' "$1" | timeout 5 openssl s_client -quiet \
        -connect "127.0.0.1:${DARNER_PORT:-22133}" -cert "$dir/tls.crt" -key "$dir/tls.key" \
        -CAfile "$dir/ca.crt" 2>/dev/null | head -n 1)
    [ -n "$reply" ] || return 1
    printf '%s\n' "${reply%$'\r'}"
}
