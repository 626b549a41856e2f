package io.darner.server;

import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real memcache client library against the server. spymemcached encodes the value's type (and
 * compression) in the flags, so a server that dropped flags would break these round trips.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class SpymemcachedTest extends ServerTestBase {
    private MemcachedClient client;

    @BeforeEach
    void connectClient() throws Exception {
        client = new MemcachedClient(new InetSocketAddress("127.0.0.1", listener.port()));
    }

    @AfterEach
    void shutdownClient() {
        client.shutdown(5, TimeUnit.SECONDS);
    }

    @Test
    void setThenGetTakesTheItem() throws Exception {
        assertTrue(client.set(q, 0, "hello from spymemcached").get(5, TimeUnit.SECONDS));
        assertEquals("hello from spymemcached", client.get(q));
        assertNull(client.get(q), "a get takes the item");
    }

    @Test
    void valuesKeepTheirTypeThroughFlags() throws Exception {
        String compressible = "a queue item that compresses well. ".repeat(2_000); // gzipped by the client
        Object[] values = {42, 7L, true, new byte[] {0, 13, 10, -1}, compressible};
        for (Object v : values) {
            assertTrue(client.set(q, 0, v).get(5, TimeUnit.SECONDS), "set " + v.getClass());
        }
        assertEquals(42, client.get(q));
        assertEquals(7L, client.get(q));
        assertEquals(true, client.get(q));
        assertArrayEquals(new byte[] {0, 13, 10, -1}, (byte[]) client.get(q));
        assertEquals(compressible, client.get(q));
    }

    @Test
    void getBulkIsAMultiKeyGet() throws Exception {
        String a = q + ".a";
        String b = q + ".b";
        String empty = q + ".empty";
        assertTrue(client.set(a, 0, "A").get(5, TimeUnit.SECONDS));
        assertTrue(client.set(b, 0, "B").get(5, TimeUnit.SECONDS));
        Map<String, Object> got = client.getBulk(a, empty, b);
        assertEquals(Map.of(a, "A", b, "B"), got);
        assertNull(client.get(a));
    }
}
