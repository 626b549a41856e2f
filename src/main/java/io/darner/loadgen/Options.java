package io.darner.loadgen;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The settings of one run, as {@link OptionParser} read them from the command line. */
record Options(
        String host,
        int port,
        int connections,
        long sets,
        long gets,
        int itemSize,
        String queue,
        int queues,
        Mode mode,
        Target target,
        double timeoutSeconds,
        String label,
        int threads) {

    /** How each connection orders its requests. */
    enum Mode {
        /** All sets on all connections first, then all gets. */
        PHASED,
        /** Each connection alternates set and get. */
        INTERLEAVED
    }

    /** What kind of server answers, which decides how much a returned item can be checked. */
    enum Target {
        /** A queue: every item of this run is handed out once, in FIFO order. */
        QUEUE,
        /** A cache such as memcached: one key, overwritten by every set. */
        MEMCACHED
    }

    /** The queue connection {@code index} uses: connections are spread round-robin over the queues. */
    String queueFor(int index) {
        return queues == 1 ? queue : queue + "_" + index % queues;
    }

    /** The phases after CONNECT, in order. */
    List<Phase.Kind> workPhases() {
        return mode == Mode.PHASED ? List.of(Phase.Kind.SET, Phase.Kind.GET) : List.of(Phase.Kind.MIXED);
    }

    long timeoutNanos() {
        return (long) (timeoutSeconds * TimeUnit.SECONDS.toNanos(1));
    }
}
