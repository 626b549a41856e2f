package io.darner.loadgen;

/**
 * Names one item: the run that set it, the connection that set it (its producer) and that
 * connection's sequence number for it, counting from 0.
 */
record ItemId(int run, int producer, int seq) {
    @Override
    public String toString() {
        return String.format("%08x:%06x:%08x", run, producer, seq);
    }
}
