package io.darner.admin;

import io.darner.config.MetricsConfig;
import io.darner.queue.QueueRepository;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The per-queue series of /q/metrics, labelled {@code queue}. A Prometheus collector rather than
 * Micrometer meters: queues come and go, and a collector reads one snapshot of them all at each
 * scrape, so no meter has to be added or removed as they do. See {@link QueueSeries} for the
 * cardinality rule.
 */
@Singleton
public class QueueCollector extends Collector {
    private static final List<String> LABELS = List.of("queue");

    private record Family(String name, String help, boolean counter, ToDoubleFunction<QueueSeries> value) {}

    private static final List<Family> FAMILIES = List.of(
            new Family("darner_queue_items", "Items available (open reads excluded)", false, QueueSeries::items),
            new Family("darner_queue_bytes", "Data bytes of the items available", false, QueueSeries::bytes),
            new Family("darner_queue_open_reads", "Items handed out by open reads, not yet confirmed", false,
                    QueueSeries::openReads),
            new Family("darner_queue_waiters", "Clients waiting for an item", false, QueueSeries::waiters),
            new Family("darner_queue_delayed", "Items not due yet: delayed sets, and open reads aborted with a delay",
                    false, QueueSeries::delayed),
            new Family("darner_queue_age_seconds", "How long the last item taken had waited in the queue", false,
                    s -> s.ageMs() / 1000.0),
            new Family("darner_queue_enqueued", "Items added to the queue", true, QueueSeries::enqueued),
            new Family("darner_queue_expired", "Items that expired", true, QueueSeries::expired),
            new Family("darner_queue_discarded", "Items dropped because the queue was full or they were "
                    + "dead-lettered without a dead-letter queue", true, QueueSeries::discarded),
            new Family("darner_queue_dead_lettered", "Items moved away after max-deliveries unconfirmed deliveries",
                    true, QueueSeries::deadLettered));

    private final QueueRepository repo;
    private final int maxQueues;

    public QueueCollector(QueueRepository repo, MetricsConfig config) {
        this.repo = repo;
        this.maxQueues = config.maxQueues();
    }

    void onStart(@Observes StartupEvent event, PrometheusMeterRegistry registry) {
        register(registry.getPrometheusRegistry());
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<QueueSeries> series = QueueSeries.of(repo.stats(), maxQueues);
        List<MetricFamilySamples> out = new ArrayList<>(FAMILIES.size());
        for (Family f : FAMILIES) {
            if (f.counter) {
                CounterMetricFamily family = new CounterMetricFamily(f.name, f.help, LABELS);
                series.forEach(s -> family.addMetric(List.of(s.queue()), f.value.applyAsDouble(s)));
                out.add(family);
            } else {
                GaugeMetricFamily family = new GaugeMetricFamily(f.name, f.help, LABELS);
                series.forEach(s -> family.addMetric(List.of(s.queue()), f.value.applyAsDouble(s)));
                out.add(family);
            }
        }
        return out;
    }
}
