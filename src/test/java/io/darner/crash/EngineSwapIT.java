package io.darner.crash;

import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two store engines read each other's files: the packaged server writes a store with one
 * (small items, a large one cut into chunks, an open read), stops cleanly or is killed (SIGKILL),
 * and starts again on the other, which finds every item, the open read back at its queue's head
 * and the counts right; then the first engine opens what the second wrote.
 */
class EngineSwapIT {
    private static final byte[] LARGE = large();

    @TempDir
    Path dataDir;
    private ServerProcess server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    @ParameterizedTest(name = "{0} then {1}, stopped by {2}")
    @CsvSource({"native, java, SIGTERM", "native, java, SIGKILL", "java, native, SIGTERM", "java, native, SIGKILL"})
    @Timeout(120)
    void aStoreWrittenByOneEngineOpensInTheOther(String first, String second, String stop) throws Exception {
        server = start(first);
        try (MemcacheClient producer = new MemcacheClient(server.port());
             MemcacheClient consumer = new MemcacheClient(server.port())) {
            for (String item : new String[] {"a", "b", "c"}) {
                assertEquals("STORED", producer.set("jobs", item));
            }
            assertEquals("STORED", producer.set("big", LARGE));
            assertEquals("a", consumer.get("jobs/open"), "held open while the server stops");
            if (stop.equals("SIGKILL")) {
                server.kill();
            } else {
                server.stop();
            }
        }

        server = start(second);
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            Map<String, Long> jobs = c.queueStats("jobs");
            assertEquals(3, jobs.get("items"), "the open read is an item again: " + jobs);
            assertEquals(3, jobs.get("bytes"), jobs.toString());
            assertEquals(1, c.queueStats("big").get("items"));
            assertEquals("a", c.get("jobs"));
            assertEquals("b", c.get("jobs"));
            assertArrayEquals(LARGE, c.getBytes("big"), "the large item, byte for byte");
            assertEquals("STORED", c.set("jobs", "d"));
        }
        server.stop();

        server = start(first);
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals(2, c.queueStats("jobs").get("items"));
            assertEquals("c", c.get("jobs"));
            assertEquals("d", c.get("jobs"));
            assertNull(c.get("jobs"));
            assertNull(c.get("big"));
        }
        server.stop();
    }

    private ServerProcess start(String engine) throws IOException, InterruptedException {
        ServerProcess s = new ServerProcess.Options(dataDir).env("DARNER_STORE_ENGINE", engine).start();
        String named = s.awaitLog("store engine: ", 10_000);
        assertTrue(named.contains(engine.equals("java") ? "pure-Java LevelDB" : "native LevelDB"), named);
        try (MemcacheClient c = new MemcacheClient(s.port())) {
            c.send("stats\r\n");
            assertTrue(c.readLinesUntilEnd().contains("STAT store_engine " + engine), "stats names the engine");
        }
        return s;
    }

    private static byte[] large() {
        byte[] b = new byte[200 * 1024]; // several 64 KiB chunks
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + (i >> 9));
        }
        return b;
    }
}
