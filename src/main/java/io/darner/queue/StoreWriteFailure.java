package io.darner.queue;

/**
 * The store's last failed write: why, and when (epoch milliseconds of the system's clock, which
 * the store stamps it with, not the queues' injected clock).
 */
public record StoreWriteFailure(String reason, long atMs) {}
