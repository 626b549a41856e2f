package io.darner.loadgen;

/** A phase's statistics, added up over the event loops, and how long it took. */
record PhaseResult(Phase.Kind kind, PhaseStats stats, long elapsedNanos) {

    double perSecond(long count) {
        return elapsedNanos == 0 ? 0 : count * 1e9 / elapsedNanos;
    }
}
