package io.darner.admin;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** An app that asks for more free disk space than any volume has: low disk, simulated. */
public class LowDiskProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("darner.min-free-disk", "1000000T");
    }
}
