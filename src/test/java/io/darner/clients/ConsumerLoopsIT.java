package io.darner.clients;

import io.darner.testing.Executables;
import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reliable-consumer loop of each language in docs/clients.md: the page shows each program
 * unchanged, and each takes every item of a queue, in order, and leaves nothing open.
 */
class ConsumerLoopsIT {
    private static final Path PAGE = Path.of("docs/clients.md");
    private static final Path JAVA_CONSUMER = Path.of("src/test/java/io/darner/clients/ReliableConsumer.java");
    /** The consumers under src/test/clients. */
    private static final List<String> PROGRAMS = List.of("python/consumer.py", "go/consumer", "js/consumer.js", "c/consumer.c");
    private static final int ITEMS = 20;

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
    void thePageShowsEachConsumerUnchanged() throws IOException {
        List<String> blocks = codeBlocks();
        String java = Files.readString(JAVA_CONSUMER);
        List<String> shown = new ArrayList<>(List.of(java.substring(java.indexOf("import ")).strip()));
        for (String program : PROGRAMS) {
            Path source = ClientTools.SOURCES.resolve(program);
            shown.add(Files.readString(Files.isDirectory(source) ? source.resolve("main.go") : source).strip());
        }
        for (String program : shown) {
            assertTrue(blocks.contains(program), PAGE + " shows, unchanged:\n" + program);
        }
    }

    @Test
    @Timeout(30)
    void java() throws Exception {
        String queue = "consumer-java";
        List<String> items = fill(queue);
        MemcachedClient client = new MemcachedClient(
                new ConnectionFactoryBuilder().setOpTimeout(ReliableConsumer.WAIT_MS + 5_000).build(),
                List.of(new InetSocketAddress("127.0.0.1", server.port())));
        try {
            List<Object> taken = new ArrayList<>();
            ReliableConsumer.consume(client, queue, taken::add);
            assertEquals(items, taken);
            assertSettled(queue, 0);

            fill(queue);
            assertThrows(IllegalStateException.class, () -> ReliableConsumer.consume(client, queue, item -> {
                throw new IllegalStateException("cannot handle " + item + " now");
            }));
            assertSettled(queue, ITEMS); // the item the handler failed on is back at the head
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest
    @MethodSource("programs")
    @Timeout(150)
    void program(String program) throws Exception {
        String queue = "consumer-" + program.substring(0, program.indexOf('/'));
        List<String> items = fill(queue);
        Executables.Result result = Executables.run(ClientTools.command(program),
                Map.of("DARNER_PORT", Integer.toString(server.port()), "DARNER_QUEUE", queue), 60);
        assertTrue(result.ok(), () -> program + ": " + result);
        assertEquals(items, ClientTools.lines(result.stdout()), () -> program + ": " + result);
        assertSettled(queue, 0);
    }

    static List<String> programs() {
        return PROGRAMS;
    }

    /** Stores ITEMS items on the queue; returns them in order. */
    private static List<String> fill(String queue) throws IOException {
        List<String> items = IntStream.range(0, ITEMS).mapToObj(i -> queue + " item " + i).toList();
        try (MemcacheClient producer = new MemcacheClient(server.port())) {
            for (String item : items) {
                assertEquals("STORED", producer.set(queue, item));
            }
        }
        return items;
    }

    private static void assertSettled(String queue, long items) throws IOException {
        try (MemcacheClient admin = new MemcacheClient(server.port())) {
            Map<String, Long> stats = admin.queueStats(queue);
            assertEquals(items, stats.getOrDefault("items", 0L), "items on " + queue);
            assertEquals(0L, stats.getOrDefault("open_transactions", 0L), "open reads on " + queue);
        }
    }

    /** Every fenced code block of the page, stripped. */
    private static List<String> codeBlocks() throws IOException {
        Matcher m = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```$").matcher(Files.readString(PAGE));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1).strip());
        }
        return blocks;
    }
}
