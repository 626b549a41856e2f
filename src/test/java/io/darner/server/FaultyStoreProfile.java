package io.darner.server;

import io.darner.queue.FaultyStoreRepository;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Set;

/** An app whose store's writes and fsyncs fail on demand, through {@link FaultyStoreRepository#FAULTS}. */
public class FaultyStoreProfile implements QuarkusTestProfile {
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FaultyStoreRepository.class);
    }
}
