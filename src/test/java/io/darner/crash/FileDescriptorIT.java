package io.darner.crash;

import io.darner.testing.ServerProcess;
import io.darner.testing.MemcacheClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server under {@code ulimit -n 256}. It serves the connections the limit allows and
 * refuses one more with {@code SERVER_ERROR too many connections}, keeping descriptors for its
 * store. When the descriptors run out all the same (here: a flood of connections to the admin
 * port), it keeps serving the connections it has, logs the failure once (not once per failed
 * accept), and accepts again as soon as descriptors are free: Darner stopped accepting for good.
 */
class FileDescriptorIT {
    private static final int FD_LIMIT = 256;
    /** The limit less 100 for the store and 100 spare (QueueListener.connectionLimit). */
    private static final int CONNECTIONS = FD_LIMIT - 200;

    @TempDir
    Path dataDir;
    private ServerProcess server;
    private final List<MemcacheClient> clients = new ArrayList<>();
    private final List<Socket> flood = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Socket s : flood) {
            s.close();
        }
        for (MemcacheClient c : clients) {
            c.close();
        }
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    @Test
    @Timeout(90)
    void outOfDescriptorsItServesWhatItHasLogsOnceAndAcceptsAgain() throws Exception {
        server = new ServerProcess.Options(dataDir).fdLimit(FD_LIMIT).start();
        // A connection each port has served and its client closed: the classes closing one needs are
        // loaded. A class first needed while no descriptor is left hangs its thread for good (the
        // packaged application's class loader never retries a jar it failed to open, quarkusio/quarkus#48750).
        assertTrue(accepts(server.port()), "the queue port answers");
        assertTrue(adminAnswers(server.httpPort()), "the admin port answers");
        assertTrue(server.logLines("serving at most " + CONNECTIONS + " connections").size() == 1, server.log());

        // the limit the descriptors allow: one more is told so
        for (int i = 0; i < CONNECTIONS; i++) {
            MemcacheClient c = new MemcacheClient(server.port());
            clients.add(c);
            assertEquals("STORED", c.set("fd", "item " + i));
        }
        try (MemcacheClient refused = new MemcacheClient(server.port())) {
            assertEquals("SERVER_ERROR too many connections", refused.readLine());
        }

        // the admin port takes the descriptors that are left
        int httpPort = server.httpPort();
        for (int i = 0; i < FD_LIMIT; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", httpPort), 2000);
            flood.add(s);
        }
        server.awaitLog("cannot accept connections: too many open files", 10_000);
        assertFalse(accepts(server.port()), "a new connection cannot be accepted now");
        // Netty tries to accept again every second: the connections it has are served all the while
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .pollInSameThread().pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertTrue(clients.get(0).call("version").startsWith("VERSION ")));
        for (MemcacheClient c : clients.subList(0, 10)) { // the connections it has are served, the store works
            assertEquals("STORED", c.set("fd2", "more"));
        }
        assertEquals("item 0", clients.get(0).get("fd"));

        // descriptors free again: accepting again
        for (Socket s : flood) {
            s.close();
        }
        flood.clear();
        for (MemcacheClient c : clients.subList(0, 20)) {
            c.close();
        }
        clients.subList(0, 20).clear();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> accepts(server.port()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the server does not accept again\n" + server.threadDump(), e);
        }
        server.awaitLog("accepting connections again", 10_000);
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("STORED", c.set("fd", "after"));
        }

        System.out.println("out of descriptors, the server logged: " + server.logLines("cannot accept connections")
                + " then " + server.logLines("accepting connections again"));
        assertEquals(1, server.logLines("cannot accept connections").size(), "logged once\n" + server.log());
        // no failed accept logged on its own (other components may log what they could not do without
        // descriptors meanwhile, such as Micrometer's GC listener loading a class: those are not accepts)
        assertEquals(0, server.logLines("exceptionCaught() event was fired").size(), server.log());
        assertEquals(0, server.logLines("DefaultChannelPipeline").size(), server.log());
        int exit = server.stop();
        assertEquals(0, exit, "a graceful stop exits 0\n" + server.log());
    }

    /** Whether the admin port answers a health check on a new connection, which this side then closes. */
    private static boolean adminAnswers(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes());
            return new String(s.getInputStream().readAllBytes()).startsWith("HTTP/1.1 200");
        }
    }

    /** Whether a new connection is accepted and answered within a second. */
    private static boolean accepts(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(1000);
            s.getOutputStream().write("version\r\n".getBytes());
            byte[] reply = s.getInputStream().readNBytes(7);
            return new String(reply).equals("VERSION");
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static void assertFalse(boolean condition, String message) {
        assertTrue(!condition, message);
    }
}
