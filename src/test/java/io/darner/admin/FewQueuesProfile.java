package io.darner.admin;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** An app that holds at most three queues (darner.max-queues). */
public class FewQueuesProfile implements QuarkusTestProfile {
    static final int MAX_QUEUES = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("darner.max-queues", String.valueOf(MAX_QUEUES));
    }
}
