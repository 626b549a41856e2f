package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole runs against {@link FakeServer}: what the load generator reports, and its exit status. */
class LoadGenTest {

    @Test
    void aCorrectQueuePasses() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-c", "4", "-s", "1000", "-g", "1000", "-i", "100", "--label", "fake queue");
            assertEquals(0, run.status, run.out);
            assertTrue(run.out.contains("RESULT label=fake_queue target=queue mode=phased conns=4 queues=1 item=100"
                    + " sets=1000 gets=1000 "), run.out);
            assertTrue(run.out.contains(" errors=0 misses=0 stale=0"), run.out);
        }
    }

    @Test
    void getsBeyondTheSetsAreMissesNotErrors() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-c", "2", "-s", "10", "-g", "20");
            assertEquals(0, run.status, run.out);
            assertTrue(run.out.contains(" errors=0 misses=10 "), run.out);
        }
    }

    @Test
    void interleavedOverSeveralQueuesPasses() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-c", "6", "-s", "600", "-g", "600", "-m", "interleaved", "--queues", "3");
            assertEquals(0, run.status, run.out);
            assertTrue(run.out.contains("mode=interleaved conns=6 queues=3"), run.out);
            assertTrue(run.out.contains(" errors=0 misses=0 "), run.out);
        }
    }

    @Test
    void itemsLeftByAnEarlierRunAreStale() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            assertEquals(0, run(server, "-c", "1", "-s", "5", "-g", "0").status);
            Run run = run(server, "-c", "1", "-s", "5", "-g", "10");
            assertEquals(0, run.status, run.out);
            assertTrue(run.out.contains(" errors=0 misses=0 stale=5"), run.out);
        }
    }

    @Test
    void itemsStreamedInPiecesAreVerified() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-c", "2", "-s", "6", "-g", "6", "-i", "1000000", "--threads", "1");
            assertEquals(0, run.status, run.out);
            assertTrue(run.out.contains(" errors=0 misses=0 "), run.out);
        }
    }

    @Test
    void aQueueOutOfOrderFails() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.LIFO)) {
            Run run = run(server, "-c", "1", "-s", "10", "-g", "10");
            assertEquals(1, run.status, run.out);
            assertTrue(run.out.contains("not FIFO"), run.out);
            assertTrue(run.out.contains("unfinished: 9 requests"), run.out);
        }
    }

    @Test
    void aCorruptItemFails() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO, item -> {
            item[50] = '!';
            return item;
        })) {
            Run run = run(server, "-c", "1", "-s", "3", "-g", "3");
            assertEquals(1, run.status, run.out);
            assertTrue(run.out.contains("corrupt at byte 50 of 64"), run.out);
        }
    }

    @Test
    void aCacheIsCheckedForFormatOnlyAsMemcached() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CACHE)) {
            Run asCache = run(server, "-c", "3", "-s", "30", "-g", "30", "--target", "memcached");
            assertEquals(0, asCache.status, asCache.out);
            Run asQueue = run(server, "-c", "3", "-s", "30", "-g", "30");
            assertEquals(1, asQueue.status, asQueue.out);
            assertTrue(asQueue.out.contains("delivered twice"), asQueue.out);
        }
    }

    @Test
    void aSilentServerTimesOut() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.SILENT)) {
            Run run = run(server, "-c", "2", "-s", "2", "-g", "2", "--timeout", "0.2");
            assertEquals(1, run.status, run.out);
            assertTrue(run.out.contains("timed out after 0.2s waiting for the reply to a set"), run.out);
        }
    }

    @Test
    void aServerThatIsNotThereFails() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        Run run = run(port, "-c", "2", "-s", "2", "-g", "2");
        assertEquals(1, run.status, run.out);
        assertTrue(run.out.contains("connected 0 of 2"), run.out);
        assertTrue(run.out.contains("connect failed"), run.out);
    }

    @Test
    void helpAndBadCommandLines() {
        assertEquals(0, run(1, "--help").status);
        Run bad = run(1, "-m", "sideways");
        assertEquals(2, bad.status);
        assertTrue(bad.out.contains("unknown -m value sideways"), bad.out);
    }

    private record Run(int status, String out) {}

    private static Run run(FakeServer server, String... args) {
        return run(server.port(), args);
    }

    private static Run run(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("-p", Integer.toString(port)));
        all.addAll(List.of(args));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = LoadGen.run(all.toArray(String[]::new), out, out);
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }
}
