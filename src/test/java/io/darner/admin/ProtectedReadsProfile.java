package io.darner.admin;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** An app whose admin reads need the token too. */
public class ProtectedReadsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("darner.admin.protect-reads", "true");
    }
}
