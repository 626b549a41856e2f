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
import org.junit.jupiter.api.Timeout;

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
    void splitModeConsumersTakeWhatTheProducersSetMeanwhile() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-m", "split", "-c", "4", "--producers", "2", "-s", "400", "-g", "400",
                    "--queues", "2");
            assertEquals(0, run.status, run.out);
            assertEquals(400, field(run, "sets"));
            assertEquals(400, field(run, "gets") - field(run, "misses"), "a miss does not count toward a share");
            assertTrue(run.out.contains(" errors=0 "), run.out);
        }
    }

    @Test
    @Timeout(30) // a consumer that never stops would hang the run
    void aConsumerStopsOnceTheProducersAreDoneAndItsQueuesAreEmpty() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-m", "split", "-c", "2", "--producers", "1", "-s", "10", "-g", "1000");
            assertEquals(0, run.status, run.out);
            assertEquals(10, field(run, "gets") - field(run, "misses"), run.out);
            assertTrue(run.out.contains(" errors=0 "), run.out);
        }
    }

    @Test
    void eachConnectionCyclesOverItsGroupOfQueues() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-m", "split", "-c", "4", "--producers", "2", "-s", "400", "-g", "400",
                    "--queues", "20", "--cycle", "10");
            assertEquals(0, run.status, run.out);
            assertEquals(400, field(run, "gets") - field(run, "misses"), run.out);
            assertEquals(20, server.queueNames().size(), server.queueNames().toString());
            assertTrue(server.queueNames().contains("bench_19"), server.queueNames().toString());
        }
    }

    @Test
    void cyclingInPhasedModeChecksFifoPerQueue() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-c", "3", "-s", "300", "-g", "300", "--queues", "15", "--cycle", "5");
            assertEquals(0, run.status, run.out);
            assertTrue(run.out.contains(" errors=0 misses=0 "), run.out);
        }
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.LIFO)) {
            Run run = run(server, "-c", "1", "-s", "20", "-g", "20", "--queues", "5", "--cycle", "5");
            assertEquals(1, run.status, run.out);
            assertTrue(run.out.contains("not FIFO"), run.out);
        }
    }

    @Test
    void theReliableLoopConfirmsEveryItemTheLastByAFinalClose() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-c", "3", "-s", "30", "-g", "30", "--get-options", "/t=500/close/open");
            assertEquals(0, run.status, run.out);
            assertTrue(run.out.contains(" gets=30 elapsed_s="), run.out);
            assertTrue(run.out.contains(" errors=0 misses=0 stale=0"), run.out);
            assertEquals(30, server.confirmed(), "each connection's last item too");
        }
    }

    @Test
    void theReliableLoopInSplitModeToo() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-m", "split", "-c", "4", "-s", "100", "-g", "100", "--queues", "4", "--cycle", "2",
                    "--get-options", "/t=10/close/open");
            assertEquals(0, run.status, run.out);
            assertEquals(100, field(run, "gets") - field(run, "misses"), run.out);
            assertEquals(100, server.confirmed());
        }
    }

    @Test
    void megabytesPerSecondAreItemBytesOverTheirPhase() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-c", "2", "-s", "200", "-g", "300", "-i", "10000");
            assertEquals(0, run.status, run.out);
            assertEquals(decimal(run, "sets/s") * 10000 / 1e6, decimal(run, "set_MB/s"), 0.1);
            // the 100 misses move no data
            double hitsPerSecond = decimal(run, "hits/s");
            assertTrue(hitsPerSecond < decimal(run, "gets/s"), run.out);
            assertEquals(hitsPerSecond * 10000 / 1e6, decimal(run, "get_MB/s"), 0.1);
        }
    }

    @Test
    @Timeout(30)
    void aDurationEndsTheRunWithTheRestLeftUndone() throws IOException {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.FIFO)) {
            Run run = run(server, "-c", "2", "-s", "100000000", "-g", "0", "--duration", "0.3");
            assertEquals(0, run.status, run.out);
            assertTrue(field(run, "sets") > 0 && field(run, "sets") < 100_000_000, run.out);
            assertTrue(decimal(run, "elapsed_s") < 5, run.out);
            assertTrue(run.out.contains(" errors=0 "), run.out);
            assertTrue(!run.out.contains("unfinished"), run.out);
        }
    }

    @Test
    void helpAndBadCommandLines() {
        assertEquals(0, run(1, "--help").status);
        Run bad = run(1, "-m", "sideways");
        assertEquals(2, bad.status);
        assertTrue(bad.out.contains("unknown -m value sideways"), bad.out);
    }

    private record Run(int status, String out) {}

    /** A field of the RESULT line. */
    private static double decimal(Run run, String name) {
        for (String word : run.out.substring(run.out.indexOf("RESULT ")).split("\\s+")) {
            if (word.startsWith(name + "=")) {
                return Double.parseDouble(word.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in " + run.out);
    }

    private static long field(Run run, String name) {
        return (long) decimal(run, name);
    }

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
