package io.darner.loadgen;

/**
 * When a run with {@code --duration} stops making new requests: that long after its work phases
 * began. Until then, and always without {@code --duration}, it has not passed.
 */
final class Deadline {
    private final long durationNanos;
    private volatile boolean armed;
    private volatile long at;

    /** {@code durationNanos} 0 means no deadline. */
    Deadline(long durationNanos) {
        this.durationNanos = durationNanos;
    }

    /** The work phases begin now. */
    void start() {
        if (durationNanos > 0) {
            at = System.nanoTime() + durationNanos;
            armed = true;
        }
    }

    boolean passed() {
        return armed && System.nanoTime() - at >= 0;
    }
}
