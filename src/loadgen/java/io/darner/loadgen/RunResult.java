package io.darner.loadgen;

import java.util.List;
import java.util.function.ToLongFunction;

/** Everything a run measured. The first phase is CONNECT; the others are the work phases. */
record RunResult(Options options, int threads, List<PhaseResult> phases, List<String> errorMessages, long stale) {

    PhaseResult connect() {
        return phases.get(0);
    }

    List<PhaseResult> work() {
        return phases.subList(1, phases.size());
    }

    /** The work phases as one: every request, over the time they took together. */
    PhaseResult total() {
        PhaseStats sum = new PhaseStats();
        long elapsed = 0;
        for (PhaseResult w : work()) {
            sum.add(w.stats());
            elapsed += w.elapsedNanos();
        }
        return new PhaseResult(null, sum, elapsed);
    }

    long connected() {
        return options.connections() - connect().stats().errors;
    }

    long errors() {
        return phases.stream().mapToLong(p -> p.stats().errors).sum();
    }

    /** Requests planned but never answered correctly: the rest of each failed connection's share. */
    long unfinished() {
        return phases.stream().mapToLong(p -> p.stats().unfinished).sum();
    }

    /** Sets over the time of the phases that made sets (the set phase, or the interleaved one). */
    double setsPerSecond() {
        return rate(Phase.Kind.GET, s -> s.sets);
    }

    double getsPerSecond() {
        return rate(Phase.Kind.SET, PhaseStats::gets);
    }

    /** Items taken (gets that hit) per second, over the time of the phases that made gets. */
    double hitsPerSecond() {
        return rate(Phase.Kind.SET, s -> s.hits);
    }

    /** Item bytes stored per second, in MB (10^6 bytes). */
    double setMegabytesPerSecond() {
        return setsPerSecond() * options.itemSize() / 1e6;
    }

    /** Item bytes taken per second, in MB (10^6 bytes). */
    double getMegabytesPerSecond() {
        return hitsPerSecond() * options.itemSize() / 1e6;
    }

    private double rate(Phase.Kind without, ToLongFunction<PhaseStats> count) {
        long n = 0;
        long elapsed = 0;
        for (PhaseResult w : work()) {
            if (w.kind() != without) {
                n += count.applyAsLong(w.stats());
                elapsed += w.elapsedNanos();
            }
        }
        return elapsed == 0 ? 0 : n * 1e9 / elapsed;
    }
}
