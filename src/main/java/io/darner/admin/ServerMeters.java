package io.darner.admin;

import io.darner.queue.QueueRepository;
import io.darner.queue.RepositoryCounters;
import io.darner.server.ConnectionStats;
import io.darner.server.QueueListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide metrics: the request counters of {@code stats} (whichever protocol made the
 * request) and the memcache connections. Each meter reads the live counter when scraped.
 */
@Singleton
public class ServerMeters {

    void onStart(@Observes StartupEvent event, MeterRegistry registry, QueueRepository repo, QueueListener listener) {
        RepositoryCounters c = repo.counters();
        counter(registry, "darner.sets", "Set requests", c.cmdSet);
        counter(registry, "darner.gets", "Get requests that fetch (peeks excluded)", c.cmdGet);
        counter(registry, "darner.peeks", "Peek requests", c.cmdPeek);
        counter(registry, "darner.get.hits", "Gets that returned an item", c.getHits);
        counter(registry, "darner.get.misses", "Gets that found the queue empty", c.getMisses);
        counter(registry, "darner.queues.created", "Queues created", c.queueCreates);
        counter(registry, "darner.queues.deleted", "Queues deleted", c.queueDeletes);
        counter(registry, "darner.queues.idle.deleted", "Queues deleted for being idle (delete-when-idle)",
                c.queueExpires);
        Gauge.builder("darner.queues", repo, QueueRepository::queueCount).description("Queues").register(registry);

        ConnectionStats conns = listener.connectionStats();
        Gauge.builder("darner.connections.current", conns, ConnectionStats::current)
                .description("Open memcache-protocol connections").register(registry);
        FunctionCounter.builder("darner.connections", conns, ConnectionStats::total)
                .description("Memcache-protocol connections accepted").register(registry);
        FunctionCounter.builder("darner.bytes.read", conns, ConnectionStats::bytesRead)
                .description("Bytes read from memcache-protocol clients").register(registry);
        FunctionCounter.builder("darner.bytes.written", conns, ConnectionStats::bytesWritten)
                .description("Bytes written to memcache-protocol clients").register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description).register(registry);
    }
}
