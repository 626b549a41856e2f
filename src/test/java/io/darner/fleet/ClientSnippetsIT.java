package io.darner.fleet;

import io.darner.testing.Executables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client code of docs/clients.md against a fleet of three packaged servers: the Java class
 * (which is {@link FleetQueue}; the page must show it unchanged) and the Python code, taken from
 * the page and run with Debian's pymemcache (.ci/run installs it; without it the test fails).
 */
class ClientSnippetsIT {
    private static final Path PAGE = Path.of("docs/clients.md");
    private static final Path JAVA_CLASS = Path.of("src/test/java/io/darner/fleet/FleetQueue.java");
    private static final String SHOWN_FROM = "// docs/clients.md shows this class from here on";
    private static final String PYTHON_DRIVER = "/fleet/drive_fleet_queue.py";
    private static final int SERVERS = 3;
    private static final int ITEMS = 300;
    private static final long RESTART_NOTICED_MS = 10_000;

    @TempDir
    static Path root;
    private static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(root.resolve("fleet"), SERVERS);
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void thePageShowsTheJavaClassThatIsTested() throws IOException {
        String source = Files.readString(JAVA_CLASS);
        String shown = source.substring(source.indexOf('\n', source.indexOf(SHOWN_FROM)) + 1);
        assertEquals(shown.strip(), fleetQueueBlock("java").strip(), "the java block of " + PAGE + " with the FleetQueue class");
    }

    @Test
    @Timeout(60)
    void javaSpreadsTheItemsEvenlyAndTakesThemAllBack() throws Exception {
        String queue = "java-spread";
        try (FleetQueue producer = new FleetQueue(queue, addresses())) {
            for (int i = 0; i < ITEMS; i++) {
                assertTrue(producer.put("item-" + i));
            }
        }
        for (int server = 0; server < SERVERS; server++) {
            assertEquals(ITEMS / SERVERS, items(server, queue), "items on server " + server);
        }
        List<Object> taken = takeAll(queue, ITEMS);
        assertEquals(IntStream.range(0, ITEMS).mapToObj(i -> "item-" + i).collect(Collectors.toSet()),
                new HashSet<>(taken), "every item, once");
        assertEquals(ITEMS, taken.size());
        assertFleetEmpty(queue);
    }

    @Test
    @Timeout(60)
    void javaSkipsAServerThatIsReadonlyOrDownAndFindsItAgainWhenItIsBack() throws Exception {
        String queue = "java-skip";
        int readonly = 0;
        int killed = 1;
        int up = 2;
        try (FleetQueue producer = new FleetQueue(queue, addresses());
             FleetQueue consumer = new FleetQueue(queue, addresses())) {
            putAll(producer, "before-", SERVERS);         // one on each server
            fleet.setStatus(readonly, "readonly");
            fleet.kill(killed);
            putAll(producer, "during-", 10);
            assertEquals(11, items(up, queue), "the one server taking sets got them all");

            List<Object> taken = new ArrayList<>();
            takeUntil(consumer, taken, 12);                // the readonly server still serves its item
            fleet.restart(killed);
            takeUntil(consumer, taken, 13);                // the restarted one's item was waiting on its disk
            assertEquals(13, new HashSet<>(taken).size());
        } finally {
            if (fleet.isDown(killed)) {
                fleet.restart(killed);
            }
            fleet.setStatus(readonly, "up");
        }
        assertFleetEmpty(queue);
    }

    @Test
    @Timeout(60)
    void javaPutsBackAnItemItsHandlerFailedOn() throws Exception {
        String queue = "java-abort";
        try (FleetQueue jobs = new FleetQueue(queue, addresses())) {
            assertTrue(jobs.put("fragile"));
            Consumer<Object> failing = item -> {
                throw new IllegalStateException("cannot handle " + item);
            };
            assertThrows(IllegalStateException.class, () -> takeUntilHandled(jobs, failing));
            List<Object> taken = new ArrayList<>();
            takeUntil(jobs, taken, 1);
            assertEquals(List.of("fragile"), taken, "the item came again");
        }
        assertFleetEmpty(queue);
    }

    @Test
    @Timeout(60)
    void pythonSpreadsTheItemsAndTakesThemAllBack() throws Exception {
        Optional<String> python = Executables.pythonWith("pymemcache");
        assertTrue(python.isPresent(), "no python3 with pymemcache (.ci/run installs Debian's python3-pymemcache)");
        Path dir = Files.createDirectories(root.resolve("python"));
        Files.writeString(dir.resolve("fleet_queue.py"), fleetQueueBlock("python"));
        try (InputStream driver = ClientSnippetsIT.class.getResourceAsStream(PYTHON_DRIVER)) {
            Files.copy(driver, dir.resolve("drive_fleet_queue.py"));
        }
        String queue = "python-spread";
        String ports = String.join(",", IntStream.range(0, SERVERS).mapToObj(s -> Integer.toString(fleet.port(s))).toList());
        Executables.Result result = Executables.run(List.of(python.get(), dir.resolve("drive_fleet_queue.py").toString()),
                Map.of("PYTHONPATH", dir.toString(), "DARNER_FLEET", ports, "DARNER_QUEUE", queue,
                        "ITEMS", Integer.toString(ITEMS)), 50);
        assertTrue(result.ok(), "the Python code of the page: " + result);
        assertEquals("stored " + ITEMS + " taken " + ITEMS + " distinct " + ITEMS, result.stdout().strip());
        for (int server = 0; server < SERVERS; server++) {
            assertEquals((long) ITEMS / SERVERS, fleet.queueStats(server, queue).get("total_items"),
                    "items stored on server " + server);
        }
        assertFleetEmpty(queue);
    }

    // ---- helpers

    private static List<InetSocketAddress> addresses() {
        return IntStream.range(0, SERVERS).mapToObj(s -> new InetSocketAddress("127.0.0.1", fleet.port(s))).toList();
    }

    private static void putAll(FleetQueue producer, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            assertTrue(producer.put(prefix + i), "some server took " + prefix + i);
        }
    }

    private static List<Object> takeAll(String queue, int expected) throws IOException {
        List<Object> taken = new ArrayList<>();
        try (FleetQueue consumer = new FleetQueue(queue, addresses())) {
            takeUntil(consumer, taken, expected);
        }
        return taken;
    }

    /** Visits the servers in turn until {@code taken} holds {@code expected} items; fails after {@link #RESTART_NOTICED_MS}. */
    private static void takeUntil(FleetQueue consumer, List<Object> taken, int expected) {
        long deadline = System.currentTimeMillis() + RESTART_NOTICED_MS;
        while (taken.size() < expected) {
            assertTrue(System.currentTimeMillis() < deadline, "took " + taken.size() + " of " + expected + ": " + taken);
            consumer.takeFromNextServer(taken::add);
        }
    }

    private static void takeUntilHandled(FleetQueue consumer, Consumer<Object> handler) {
        for (int visit = 0; visit < 10 * SERVERS; visit++) {
            if (consumer.takeFromNextServer(handler) > 0) {
                return;
            }
        }
    }

    private static long items(int server, String queue) throws IOException {
        return fleet.queueStats(server, queue).getOrDefault("items", 0L);
    }

    /** Nothing waiting and nothing open on any server once the clients are closed. */
    private static void assertFleetEmpty(String queue) throws IOException {
        for (int server = 0; server < SERVERS; server++) {
            Map<String, Long> figures = fleet.queueStats(server, queue);
            assertEquals(0L, figures.getOrDefault("items", 0L), "items left on server " + server);
            assertEquals(0L, figures.getOrDefault("open_transactions", 0L), "open reads left on server " + server);
        }
    }

    /** The code block of a language in the page that defines the class FleetQueue. */
    private static String fleetQueueBlock(String language) throws IOException {
        return codeBlocks(language).stream().filter(block -> block.contains("class FleetQueue")).findFirst()
                .orElseThrow(() -> new AssertionError(PAGE + " has no " + language + " block with the class FleetQueue"));
    }

    /** The code blocks of a language in the page, in order. */
    private static List<String> codeBlocks(String language) throws IOException {
        Matcher m = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```$").matcher(Files.readString(PAGE));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertTrue(!blocks.isEmpty(), PAGE + " has a " + language + " block");
        return blocks;
    }
}
