package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The server's configuration as the real config machinery reads it, from test settings. */
final class TestConfig {
    private TestConfig() {}

    /** Every default but {@code settings} ({@code darner.*} keys), with the store in {@code dataDir}. */
    static DarnerConfig darner(Path dataDir, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("darner.data-dir", dataDir.toString());
        return new SmallRyeConfigBuilder()
                .withMapping(DarnerConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build()
                .getConfigMapping(DarnerConfig.class);
    }

    /** As {@link #darner(Path, Map)}, for checks that open no store. */
    static DarnerConfig darner(Map<String, String> settings) {
        return darner(Path.of("unused"), settings);
    }
}
