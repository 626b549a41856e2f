package io.darner.server;

import io.darner.queue.FaultyStoreRepository;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/** An app whose store's writes and fsyncs fail on demand, through {@link FaultyStoreRepository#FAULTS}. */
public class FaultyStoreProfile implements QuarkusTestProfile {
    /** A queue that syncs always: its replies wait for fsyncs, which fail on demand. */
    public static final String SYNCED = "synced";

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FaultyStoreRepository.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("darner.queues." + SYNCED + ".sync", "always");
    }
}
