package io.darner.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JVM's metrics, read when scraped: memory pools, threads, classes, and each collector's
 * collections and time. They stand in for Quarkus's JVM binder ({@code quarkus.micrometer.binder.jvm=false}),
 * whose GC and heap-pressure meters listen to a JMX notification after every collection: building
 * those cost the JVM's notification thread about 0.5 ms per young collection, CPU taken from the
 * event loop under load (issue 12). Counting collections needs no notification.
 */
@Singleton
public class JvmMeters {

    void onStart(@Observes StartupEvent event, MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionCounter.builder("jvm.gc.collections", gc, GarbageCollectorMXBean::getCollectionCount)
                    .tag("gc", gc.getName()).description("Collections by this collector").register(registry);
            FunctionCounter.builder("jvm.gc.collection.seconds", gc, b -> b.getCollectionTime() / 1000.0)
                    .tag("gc", gc.getName()).baseUnit("seconds")
                    .description("Time this collector took, pauses and concurrent work together").register(registry);
        }
    }
}
