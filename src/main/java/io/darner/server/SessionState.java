package io.darner.server;

/**
 * What a connection is doing. Requests are answered strictly in order, so while one is answered
 * asynchronously the connection handles no other: it parses and answers only when {@link #READY}.
 *
 * <pre>
 * READY ──get t= on an empty queue──▶ WAITING_FOR_ITEM ──item, timeout or stop──▶ READY
 * READY ──set or confirm that must be on disk──▶ WAITING_FOR_DISK ──fsync done──▶ READY
 * READY ──large item out──▶ STREAMING ──last chunk written──▶ READY
 * READY ──monitor, client behind──▶ WAITING_FOR_DRAIN ──client read──▶ READY
 * READY ──large item in, store behind──▶ HOLDING_INPUT ──a few ms──▶ READY
 * any ──quit, shutdown, protocol error, store failure mid-stream──▶ CLOSING ──socket closed──▶ CLOSED
 * any ──socket closed──▶ CLOSED
 * </pre>
 */
enum SessionState {
    READY,
    WAITING_FOR_ITEM,
    WAITING_FOR_DISK,
    STREAMING,
    WAITING_FOR_DRAIN,
    HOLDING_INPUT,
    CLOSING,
    CLOSED
}
