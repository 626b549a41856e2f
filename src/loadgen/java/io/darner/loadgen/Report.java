package io.darner.loadgen;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Prints a run for people (a table), then as one {@code RESULT key=value ...} line for grep. */
final class Report {
    private static final String ROW = "%-8s %10s %10s %12s %8s %8s %8s %8s %9s %8s %7s%n";

    private Report() {}

    static void printPlan(Options o, PrintStream out) {
        out.printf(Locale.ROOT, "loadgen: target=%s server=%s:%d queue=%s queues=%d mode=%s conns=%d threads=%d"
                        + " item=%d sets=%d gets=%d timeout=%ss label=%s producers=%d cycle=%d get-options=%s"
                        + " duration=%ss%n",
                lower(o.target()), o.host(), o.port(), o.queue(), o.queues(), lower(o.mode()), o.connections(),
                Runner.threads(o), o.itemSize(), o.sets(), o.gets(), o.timeoutSeconds(), o.label(), o.producers(),
                o.cycle(), o.getOptions(), o.durationSeconds() == 0 ? "-" : o.durationSeconds());
    }

    static void print(RunResult r, PrintStream out) {
        out.printf(Locale.ROOT, "connected %d of %d in %.1f ms%n%n", r.connected(), r.options().connections(),
                r.connect().elapsedNanos() / 1e6);
        out.printf(ROW, "phase", "requests", "elapsed_s", "req/s", "p50us", "p90us", "p99us", "p999us", "maxus",
                "misses", "errors");
        for (PhaseResult w : r.work()) {
            row(lower(w.kind()), w, out);
        }
        row("all", r.total(), out);
        out.println();
        if (r.stale() > 0) {
            out.printf("stale: %d items left in the queue by earlier runs were handed out%n", r.stale());
        }
        if (r.unfinished() > 0) {
            out.printf("unfinished: %d requests not made, their connections failed%n", r.unfinished());
        }
        if (r.errors() > 0) {
            out.printf("errors: %d (each stops its connection); the first ones:%n", r.errors());
            r.errorMessages().forEach(m -> out.println("  " + m));
        }
        out.println(resultLine(r));
    }

    static String resultLine(RunResult r) {
        Options o = r.options();
        PhaseResult total = r.total();
        Histogram latency = total.stats().latency;
        return String.format(Locale.ROOT,
                "RESULT label=%s target=%s mode=%s conns=%d queues=%d item=%d sets=%d gets=%d elapsed_s=%.3f"
                        + " sets/s=%.0f gets/s=%.0f total/s=%.0f p50us=%s p90us=%s p99us=%s p999us=%s maxus=%s"
                        + " errors=%d misses=%d stale=%d hits/s=%.0f set_MB/s=%.1f get_MB/s=%.1f",
                o.label().replaceAll("\\s", "_"), lower(o.target()), lower(o.mode()), o.connections(), o.queues(),
                o.itemSize(), total.stats().sets, total.stats().gets(), total.elapsedNanos() / 1e9,
                r.setsPerSecond(), r.getsPerSecond(), total.perSecond(total.stats().requests()),
                percentile(latency, 50), percentile(latency, 90), percentile(latency, 99), percentile(latency, 99.9),
                micros(latency.getMaxValue()), r.errors(), total.stats().misses, r.stale(), r.hitsPerSecond(),
                r.setMegabytesPerSecond(), r.getMegabytesPerSecond());
    }

    private static void row(String name, PhaseResult p, PrintStream out) {
        PhaseStats s = p.stats();
        out.printf(ROW, name, s.requests(), String.format(Locale.ROOT, "%.3f", p.elapsedNanos() / 1e9),
                String.format(Locale.ROOT, "%.0f", p.perSecond(s.requests())),
                percentile(s.latency, 50), percentile(s.latency, 90), percentile(s.latency, 99),
                percentile(s.latency, 99.9), micros(s.latency.getMaxValue()), s.misses, s.errors);
    }

    private static String percentile(Histogram h, double percentile) {
        return micros(h.getValueAtPercentile(percentile));
    }

    /** Latencies are recorded in nanoseconds and shown in microseconds. */
    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
