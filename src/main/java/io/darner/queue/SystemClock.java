package io.darner.queue;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.InstantSource;

/** The clock the queue layer goes by: the system's, unless a test brings one it can move. */
@Singleton
public class SystemClock {

    @Produces
    @Singleton
    @DefaultBean
    InstantSource clock() {
        return InstantSource.system();
    }
}
