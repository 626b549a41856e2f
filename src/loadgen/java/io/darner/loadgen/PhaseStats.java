package io.darner.loadgen;

import org.HdrHistogram.Histogram;

/**
 * Counts and latencies of one phase. Each event loop keeps its own (no sharing while running);
 * the run adds them up at the end.
 */
final class PhaseStats {
    /** Nanoseconds from the first byte of a request written to the last byte of its reply read. */
    final Histogram latency = new Histogram(3);
    long sets;
    long hits;
    long misses;
    long errors;
    /** Requests of failed connections' shares never answered (the failed request included). */
    long unfinished;

    void stored(long nanos) {
        sets++;
        latency.recordValue(nanos);
    }

    void hit(long nanos) {
        hits++;
        latency.recordValue(nanos);
    }

    void miss(long nanos) {
        misses++;
        latency.recordValue(nanos);
    }

    void error() {
        errors++;
    }

    void unfinished(long requests) {
        unfinished += requests;
    }

    long gets() {
        return hits + misses;
    }

    /** Requests answered correctly; a failed request is counted in {@link #errors} instead. */
    long requests() {
        return sets + gets();
    }

    void add(PhaseStats other) {
        latency.add(other.latency);
        sets += other.sets;
        hits += other.hits;
        misses += other.misses;
        errors += other.errors;
        unfinished += other.unfinished;
    }
}
