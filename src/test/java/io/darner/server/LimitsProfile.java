package io.darner.server;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** A server that serves at most 20 connections at once and closes connections idle for 2 s. */
public class LimitsProfile implements QuarkusTestProfile {
    static final int MAX_CONNECTIONS = 20;
    static final long IDLE_TIMEOUT_MS = 2000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("darner.max-connections", String.valueOf(MAX_CONNECTIONS),
                "darner.idle-timeout", IDLE_TIMEOUT_MS + "ms");
    }
}
