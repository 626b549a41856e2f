package io.darner.admin;

import io.darner.queue.RequestTimings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Latency of sets and gets as Micrometer timers ({@code darner_request_latency_seconds} with
 * {@code command="set"} or {@code "get"}), with histogram buckets from 50 µs to 10 s so that
 * Prometheus can compute percentiles. The memcache sessions report to it through {@link RequestTimings}.
 */
@Startup // the timers are on /q/metrics from the start, before any request
@Singleton
public class LatencyTimers implements RequestTimings {
    private final Timer sets;
    private final Timer gets;

    public LatencyTimers(MeterRegistry registry) {
        this.sets = timer(registry, "set");
        this.gets = timer(registry, "get");
    }

    private static Timer timer(MeterRegistry registry, String command) {
        return Timer.builder("darner.request.latency").tag("command", command)
                .description("Time from a request parsed to its reply written")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    @Override
    public void setAnswered(long nanos) {
        sets.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void getAnswered(long nanos) {
        gets.record(nanos, TimeUnit.NANOSECONDS);
    }
}
