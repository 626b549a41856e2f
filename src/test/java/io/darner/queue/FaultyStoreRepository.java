package io.darner.queue;

import java.time.InstantSource;
import io.darner.config.DarnerConfig;
import io.darner.storage.FaultInjector;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The app's repository over a store whose writes and fsyncs fail on demand ({@link #FAULTS}), as a
 * full or failing disk makes them fail. An alternative: only an app whose profile enables it
 * ({@code FaultyStoreProfile}) uses it instead of the real one.
 */
@Alternative
@Dependent
public class FaultyStoreRepository {
    /** The faults of the store of the app that runs now. */
    public static final FaultInjector FAULTS = new FaultInjector();

    @Produces
    @Singleton
    QueueRepository repository(DarnerConfig config, InstantSource clock) {
        return new QueueRepository(config, FAULTS.open(config.dataDir()), clock);
    }

    void close(@Disposes QueueRepository repo) {
        FAULTS.heal();
        repo.close();
    }
}
