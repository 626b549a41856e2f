package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class BasicProtocolTest {
    @Inject
    QueueListener listener;

    @Test
    void setThenGetOverARealSocket() throws Exception {
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            assertEquals("STORED", c.set("basic", "hello"));
            assertEquals("hello", c.get("basic"));
            assertNull(c.get("basic"));
        }
    }
}
