package io.darner.clients;

import io.darner.testing.Executables;
import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client matrix of docs/clients.md: real memcache client libraries, unchanged and with the
 * settings the page gives, against the packaged server, each doing the same checks: FIFO order,
 * flags, a blocking get, a reliable read, an open read rolled back when the client disconnects,
 * abort, a multi-key get and a 1 MiB item. The Java libraries run here (with assertions on, as
 * failsafe runs tests); the others are the programs in src/test/clients.
 */
class ClientMatrixIT {
    private static final long PROGRAM_TIMEOUT_S = 60;

    @TempDir
    static Path dataDir;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start(dataDir);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    @Timeout(60)
    void spymemcachedWithAssertionsOn() throws Exception {
        // it asserts that each VALUE names the key it asked for: this must run with -ea to check that
        assertTrue(MemcachedClient.class.desiredAssertionStatus(), "spymemcached runs with assertions on");
        String prefix = "java-spymemcached-";
        assertEquals(JavaChecklist.CHECKS, new JavaChecklist(prefix, () -> new Spymemcached(server.port())).run(true));
        assertQueuesSettled(prefix);
    }

    @Test
    @Timeout(60)
    void xmemcachedWithItsDefaultCommandFactory() throws Exception {
        String prefix = "java-xmemcached-";
        assertEquals(JavaChecklist.CHECKS, new JavaChecklist(prefix, () -> new Xmemcached(server.port(), false)).run(true));
        assertQueuesSettled(prefix);
    }

    /** Its Kestrel mode has no multi-key get (the library refuses it), and keeps the flags in the data. */
    @Test
    @Timeout(60)
    void xmemcachedWithItsKestrelCommandFactory() throws Exception {
        String prefix = "java-xmemcached-kestrel-";
        List<String> passed = new JavaChecklist(prefix, () -> new Xmemcached(server.port(), true)).run(false);
        assertEquals(JavaChecklist.CHECKS.stream().filter(check -> !check.equals("multi-key get")).toList(), passed);
        assertQueuesSettled(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pymemcache", "python-memcached", "pylibmc"})
    @Timeout(90)
    void python(String client) throws Exception {
        assertChecklistPasses(List.of("python/checklist.py", client), "py-" + client + "-");
    }

    @Test
    @Timeout(150)
    void goGomemcache() throws Exception {
        assertChecklistPasses(List.of("go/checklist"), "go-gomemcache-");
    }

    @Test
    @Timeout(150)
    void javascriptMemcached() throws Exception {
        assertChecklistPasses(List.of("js/checklist.js"), "js-memcached-");
    }

    @Test
    @Timeout(90)
    void cLibmemcachedTools() throws Exception {
        assertChecklistPasses(List.of("c/checklist.sh"), "c-libmemcached-");
    }

    /** Runs a checklist program (its path under src/test/clients, then its arguments). */
    private static void assertChecklistPasses(List<String> program, String prefix) throws Exception {
        List<String> command = new ArrayList<>(ClientTools.command(program.get(0)));
        command.addAll(program.subList(1, program.size()));
        Executables.Result result = Executables.run(command, Map.of("DARNER_PORT", Integer.toString(server.port())),
                PROGRAM_TIMEOUT_S);
        assertEquals(JavaChecklist.CHECKS.stream().map(check -> "ok " + check).toList(), ClientTools.lines(result.stdout()),
                () -> String.join(" ", program) + ": " + result);
        assertTrue(result.ok(), () -> String.join(" ", program) + ": " + result);
        assertQueuesSettled(prefix);
    }

    /** Once a checklist passed, its queues hold nothing, and nothing is left open on them. */
    private static void assertQueuesSettled(String prefix) throws IOException {
        try (MemcacheClient admin = new MemcacheClient(server.port())) {
            for (String queue : JavaChecklist.QUEUES) {
                Map<String, Long> stats = admin.queueStats(prefix + queue);
                assertEquals(0L, stats.getOrDefault("items", 0L), "items on " + prefix + queue);
                assertEquals(0L, stats.getOrDefault("open_transactions", 0L), "open reads on " + prefix + queue);
            }
        }
    }
}
