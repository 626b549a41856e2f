package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.darner.storage.TestEngine;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.InstantSource;
import java.nio.file.Path;
import java.time.Duration;

/** Opens and closes a repository outside Quarkus, for tests of what happens when its store is closed. */
public final class Repositories {
    private Repositories() {}

    /** A repository over {@code dir} with the default settings. */
    public static QueueRepository open(Path dir) {
        DarnerConfig config = new SmallRyeConfigBuilder()
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(DarnerConfig.class)
                .withDefaultValue("darner.data-dir", dir.toString())
                .withDefaultValue(TestEngine.PROPERTY, TestEngine.setting())
                .build()
                .getConfigMapping(DarnerConfig.class);
        return new QueueRepository(config, InstantSource.system());
    }

    /** Closes the store, as a stop does. */
    public static void close(QueueRepository repo) {
        repo.close();
    }
}
