package io.darner.queue;

/**
 * Told how long requests took by whoever serves them (the memcache sessions), whatever the
 * protocol; the admin side turns this into latency metrics. Called on event loops: must not block.
 */
public interface RequestTimings {
    /** A set was answered (STORED or not), {@code nanos} after its request was parsed. */
    void setAnswered(long nanos);

    /** A get was answered (an item or END), {@code nanos} after its request was parsed. */
    void getAnswered(long nanos);

    /**
     * Where the calling thread reports from now on: a thread that serves many requests (an event
     * loop) may get timings of its own, cheaper to record into than shared ones.
     */
    default RequestTimings forThisThread() {
        return this;
    }
}
