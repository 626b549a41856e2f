package io.darner.crash;

import io.darner.testing.ServerProcess;
import io.darner.testing.MemcacheClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping the packaged server with SIGTERM ({@code Process.destroy()}): readiness goes DOWN
 * first while the queue port still serves (quarkus.shutdown.delay), then a blocked get is answered
 * {@code END}, open reads go back to their queue, the store is closed cleanly, and the process
 * exits with status 0 within the grace period. And a planned stop with {@code status quiescent}:
 * consumers confirm what they hold, new reads are refused.
 */
class GracefulStopIT {
    private static final long DELAY_MS = 2000;
    private static final long GRACE_MS = 5000;

    @TempDir
    Path dataDir;
    private ServerProcess server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    private ServerProcess start() throws IOException, InterruptedException {
        return new ServerProcess.Options(dataDir).env("QUARKUS_SHUTDOWN_DELAY", DELAY_MS + "ms")
                .env("DARNER_SHUTDOWN_GRACE", GRACE_MS + "ms").start();
    }

    @Test
    @Timeout(90)
    void sigtermAnswersBlockedGetsReturnsOpenReadsAndExitsZero() throws Exception {
        server = start();
        try (MemcacheClient producer = new MemcacheClient(server.port());
             MemcacheClient consumer = new MemcacheClient(server.port());
             MemcacheClient waiter = new MemcacheClient(server.port())) {
            assertEquals("STORED", producer.set("jobs", "a"));
            assertEquals("STORED", producer.set("jobs", "b"));
            assertEquals("a", consumer.get("jobs/open"));
            waiter.send("get idle/t=60000\r\n");
            CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return waiter.readLine();
                } catch (IOException e) {
                    return "failed: " + e;
                }
            });
            assertEquals(200, ready(), "ready before the stop");

            long stopAt = System.nanoTime();
            server.terminate();

            // readiness goes DOWN first; meanwhile the queue port still serves
            Awaitility.await("readiness DOWN after SIGTERM").atMost(Duration.ofMillis(DELAY_MS))
                    .pollInterval(Duration.ofMillis(20)).until(() -> ready() == 503);
            long downAfterMs = (System.nanoTime() - stopAt) / 1_000_000;
            assertTrue(producer.call("version").startsWith("VERSION "), "the queue port serves during the delay");

            assertEquals("END", blocked.get(DELAY_MS + GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS),
                    "the blocked get is answered END");
            consumer.setTimeout((int) GRACE_MS);
            assertTrue(consumer.isClosedByServer(), "the consumer's connection is closed");
            int status = server.awaitExit(DELAY_MS + GRACE_MS);
            long exitAfterMs = (System.nanoTime() - stopAt) / 1_000_000;
            System.out.printf("SIGTERM: readiness DOWN after %d ms, exit status %d after %d ms (delay %d ms, grace %d ms)%n",
                    downAfterMs, status, exitAfterMs, DELAY_MS, GRACE_MS);
            assertEquals(0, status, "exit status\n" + server.log());
            assertTrue(exitAfterMs < DELAY_MS + GRACE_MS, "stopped within the delay and the grace period");
            assertEquals(1, server.logLines("store closed").size(), server.log());
        }

        server = start();
        assertEquals(0, server.logLines("was not clean").size(), "the stop was clean: no recount\n" + server.log());
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("a", c.get("jobs"), "the open read is back at the head");
            assertEquals("b", c.get("jobs"));
            assertNull(c.get("jobs"));
        }
        assertEquals(0, server.stop());
    }

    @Test
    @Timeout(90)
    void quiescentLetsConsumersFinishBeforeAPlannedStop() throws Exception {
        server = start();
        try (MemcacheClient admin = new MemcacheClient(server.port());
             MemcacheClient consumer = new MemcacheClient(server.port())) {
            for (String item : new String[] {"a", "b", "c"}) {
                assertEquals("STORED", admin.set("work", item));
            }
            assertEquals("a", consumer.get("work/open"));

            assertEquals("END", admin.call("status quiescent"));
            assertEquals(503, ready(), "a quiescent server leaves the rotation");
            assertEquals("SERVER_ERROR server is quiescent", consumer.call("get work/close/open"),
                    "the close is done, the next open refused");
            assertEquals("END", consumer.call("get work/close"));
            assertEquals("SERVER_ERROR server is quiescent", consumer.call("get work"));
            assertEquals(0, server.stop(), "exit status");
        }

        server = start();
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("quiescent", c.call("status"), "the status is kept across the restart");
            assertEquals("END", c.call("status up"));
            assertEquals("b", c.get("work"), "the confirmed item is gone, the others are there");
            assertEquals("c", c.get("work"));
            assertNull(c.get("work"));
        }
        assertEquals(0, server.stop());
    }

    /** The status code of the readiness probe, or -1 if the admin port does not answer. */
    private int ready() throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
