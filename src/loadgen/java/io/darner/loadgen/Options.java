package io.darner.loadgen;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** The settings of one run, as {@link OptionParser} read them from the command line; {@code tlsAuthority} null: plaintext. */
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
        int threads,
        int producers,
        int cycle,
        GetOptions getOptions,
        double durationSeconds,
        Path tlsAuthority) {

    /** How each connection orders its requests. */
    enum Mode {
        /** All sets on all connections first, then all gets. */
        PHASED,
        /** Each connection alternates set and get. */
        INTERLEAVED,
        /** The first {@link #producers} connections only set, the others only get, all at once. */
        SPLIT
    }

    /** What kind of server answers, which decides how much a returned item can be checked. */
    enum Target {
        /** A queue: every item of this run is handed out once, in FIFO order. */
        QUEUE,
        /** A cache such as memcached: one key, overwritten by every set. */
        MEMCACHED
    }

    /** In split mode, whether connection {@code index} only gets. */
    boolean isConsumer(int index) {
        return mode == Mode.SPLIT && index >= producers;
    }

    /** Connection {@code index}'s share of the sets: over all connections, or in split mode over the producers. */
    int setsOf(int index) {
        if (mode != Mode.SPLIT) {
            return Script.share(sets, connections, index);
        }
        return isConsumer(index) ? 0 : Script.share(sets, producers, index);
    }

    /** Connection {@code index}'s share of the gets: over all connections, or in split mode over the consumers. */
    int getsOf(int index) {
        if (mode != Mode.SPLIT) {
            return Script.share(gets, connections, index);
        }
        return isConsumer(index) ? Script.share(gets, connections - producers, index - producers) : 0;
    }

    /**
     * The queues connection {@code index} uses, in the order it cycles over them. The queues form
     * groups of {@link #cycle} consecutive ones, dealt round-robin to the connections; in split
     * mode to the producers and to the consumers separately, so consumer i shares producer i's group.
     */
    List<String> queuesFor(int index) {
        if (queues == 1) {
            return List.of(queue);
        }
        int role = isConsumer(index) ? index - producers : index;
        int first = role % (queues / cycle) * cycle;
        return IntStream.range(first, first + cycle).mapToObj(q -> queue + "_" + q).toList();
    }

    /** The phases after CONNECT, in order. */
    List<Phase.Kind> workPhases() {
        return mode == Mode.PHASED ? List.of(Phase.Kind.SET, Phase.Kind.GET) : List.of(Phase.Kind.MIXED);
    }

    long timeoutNanos() {
        return (long) (timeoutSeconds * TimeUnit.SECONDS.toNanos(1));
    }

    /** 0 without --duration. */
    long durationNanos() {
        return (long) (durationSeconds * TimeUnit.SECONDS.toNanos(1));
    }
}
