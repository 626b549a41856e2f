package io.darner.admin;

import io.darner.queue.RequestTimings;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Latency of sets and gets as one Prometheus histogram, {@code darner_request_latency_seconds}
 * with {@code command="set"} or {@code "get"}, in buckets from 50 µs to 10 s so that Prometheus
 * can compute percentiles. The memcache sessions report to it through {@link RequestTimings}.
 *
 * <p>Every request is timed, so recording must cost next to nothing: each thread that serves
 * requests records into {@link LatencyCells} of its own (a session takes its event loop's cells
 * once, with {@link #forThisThread()}), with plain stores rather than the atomic adds and clock
 * reads of a Micrometer timer. A scrape sums the cells of all threads; the sums only grow.
 */
@Singleton
public class LatencyTimers extends Collector implements RequestTimings {
    static final String NAME = "darner_request_latency_seconds";
    private static final List<String> LABELS = List.of("command");
    private static final List<String> BUCKET_LABELS = List.of("command", "le");

    private final Map<Thread, LatencyCells> byThread = new ConcurrentHashMap<>();

    void onStart(@Observes StartupEvent event, PrometheusMeterRegistry registry) {
        register(registry.getPrometheusRegistry()); // the series are on /q/metrics from the start
    }

    @Override
    public RequestTimings forThisThread() {
        return byThread.computeIfAbsent(Thread.currentThread(), t -> new LatencyCells());
    }

    @Override
    public void setAnswered(long nanos) {
        forThisThread().setAnswered(nanos);
    }

    @Override
    public void getAnswered(long nanos) {
        forThisThread().getAnswered(nanos);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        long[] sets = new long[LatencyCells.SLOTS];
        long[] gets = new long[LatencyCells.SLOTS];
        for (LatencyCells cells : byThread.values()) {
            cells.addTo(sets, gets);
        }
        List<MetricFamilySamples.Sample> samples = new ArrayList<>(2 * (LatencyCells.BOUNDS_NANOS.length + 3));
        addSamples(samples, "set", sets);
        addSamples(samples, "get", gets);
        return List.of(new MetricFamilySamples(NAME, Type.HISTOGRAM,
                "Time from a request parsed to its reply written", samples));
    }

    /** Prometheus's histogram: cumulative buckets up to +Inf, the count and the sum in seconds. */
    private static void addSamples(List<MetricFamilySamples.Sample> out, String command, long[] sums) {
        long cumulative = 0;
        for (int i = 0; i <= LatencyCells.BOUNDS_NANOS.length; i++) {
            cumulative += sums[i];
            String le = i < LatencyCells.BOUNDS_NANOS.length ? doubleToGoString(LatencyCells.BOUNDS_NANOS[i] / 1e9) : "+Inf";
            out.add(new MetricFamilySamples.Sample(NAME + "_bucket", BUCKET_LABELS, List.of(command, le), cumulative));
        }
        out.add(new MetricFamilySamples.Sample(NAME + "_count", LABELS, List.of(command), cumulative));
        out.add(new MetricFamilySamples.Sample(NAME + "_sum", LABELS, List.of(command),
                sums[LatencyCells.SUM_SLOT] / 1e9));
    }
}
