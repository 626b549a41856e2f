package io.darner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Prometheus metrics' settings, {@code darner.metrics.*}. */
@ConfigMapping(prefix = "darner.metrics")
public interface MetricsConfig {

    /**
     * Queues (the first ones by name) that get series of their own, labelled {@code queue="<name>"};
     * the others are summed into {@code queue="(other)"}, so thousands of queues stay a bounded
     * number of series.
     */
    @WithDefault("100")
    int maxQueues();
}
