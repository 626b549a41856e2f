package io.darner.crash;

import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The packaged server: dead letters keep their origin queue across a SIGKILL and a clean stop, and a
 * redrive after the restart sends each back to where it came from.
 */
class RedriveRestartIT {
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    private ServerProcess start() throws Exception {
        return new ServerProcess.Options(dir).property("darner.queue-defaults.max-deliveries", "1")
                .property("darner.queue-defaults.dead-letter-queue", "dead").start();
    }

    @ParameterizedTest(name = "killed: {0}")
    @ValueSource(booleans = {true, false})
    void deadLettersGoBackToTheirOriginsAfterARestart(boolean killed) throws Exception {
        byte[] large = new byte[200_000];
        Arrays.fill(large, (byte) 'L');
        server = start();
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            deadLetter(c, "jobs", "j1".getBytes());
            deadLetter(c, "mail", large);
            deadLetter(c, "jobs", "j2".getBytes());
        }
        if (killed) {
            server.kill();
        } else {
            assertEquals(0, server.stop());
        }

        server = start();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/admin/queues/dead/redrive"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"moved\":3}", r.body().replace(" ", ""));
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("j1", c.get("jobs"));
            assertEquals("j2", c.get("jobs"));
            assertNull(c.get("jobs"));
            assertArrayEquals(large, c.getBytes("mail"));
            assertNull(c.get("dead"));
        }
    }

    /** Sets the item and fails its one delivery: the next get dead-letters it. */
    private static void deadLetter(MemcacheClient c, String queue, byte[] data) throws Exception {
        assertEquals("STORED", c.set(queue, data));
        assertArrayEquals(data, c.getBytes(queue + "/open"));
        assertNull(c.get(queue + "/abort"));
        assertNull(c.get(queue));
    }
}
