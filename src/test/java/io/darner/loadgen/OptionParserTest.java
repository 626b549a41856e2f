package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionParserTest {

    @Test
    void defaults() throws UsageException {
        Options o = OptionParser.parse();
        assertEquals("127.0.0.1", o.host());
        assertEquals(22133, o.port());
        assertEquals("bench", o.queue());
        assertEquals(1, o.queues());
        assertEquals(Options.Mode.PHASED, o.mode());
        assertEquals(Options.Target.QUEUE, o.target());
        assertEquals(10.0, o.timeoutSeconds());
        assertEquals("-", o.label());
    }

    @Test
    void everyOption() throws UsageException {
        Options o = OptionParser.parse("-h", "db1", "-p", "11211", "-c", "1000", "-s", "5", "-g", "6", "-i", "1024",
                "-q", "jobs", "-m", "interleaved", "--queues", "4", "--target", "memcached", "--timeout", "2.5",
                "--threads", "3", "--label", "run 1", "--cycle", "2", "--tls", "ca.crt");
        assertEquals(new Options("db1", 11211, 1000, 5, 6, 1024, "jobs", 4, Options.Mode.INTERLEAVED,
                Options.Target.MEMCACHED, 2.5, "run 1", 3, 0, 2, GetOptions.NONE, 0, java.nio.file.Path.of("ca.crt")), o);
        assertEquals(1.5, OptionParser.parse("--duration", "1.5").durationSeconds());
        Options split = OptionParser.parse("-m", "split", "--producers", "3", "-c", "5", "--get-options", "/close/open");
        assertEquals(3, split.producers());
        assertEquals(new GetOptions("/close/open", true, true), split.getOptions());
    }

    @Test
    void queuesAreNumberedWhenThereAreSeveral() throws UsageException {
        assertEquals(List.of("bench"), OptionParser.parse().queuesFor(7));
        Options three = OptionParser.parse("--queues", "3");
        assertEquals(List.of("bench_0"), three.queuesFor(0));
        assertEquals(List.of("bench_1"), three.queuesFor(7));
    }

    @Test
    void aConnectionCyclesOverAGroupOfQueues() throws UsageException {
        Options groups = OptionParser.parse("--queues", "6", "--cycle", "3");
        assertEquals(List.of("bench_0", "bench_1", "bench_2"), groups.queuesFor(0));
        assertEquals(List.of("bench_3", "bench_4", "bench_5"), groups.queuesFor(1));
        assertEquals(List.of("bench_0", "bench_1", "bench_2"), groups.queuesFor(2));
    }

    @Test
    void splitModeSharesSetsOverProducersAndGetsOverConsumers() throws UsageException {
        Options o = OptionParser.parse("-m", "split", "-c", "5", "--producers", "2", "-s", "10", "-g", "7",
                "--queues", "4", "--cycle", "2");
        assertEquals(List.of(5, 5, 0, 0, 0), List.of(o.setsOf(0), o.setsOf(1), o.setsOf(2), o.setsOf(3), o.setsOf(4)));
        assertEquals(List.of(0, 0, 3, 2, 2), List.of(o.getsOf(0), o.getsOf(1), o.getsOf(2), o.getsOf(3), o.getsOf(4)));
        assertEquals(o.queuesFor(1), o.queuesFor(3), "consumer i shares producer i's queues");
        assertEquals(o.queuesFor(0), o.queuesFor(4));
        assertEquals(List.of("bench_2", "bench_3"), o.queuesFor(1));
        assertEquals(2, OptionParser.parse("-m", "split", "-c", "5").producers(), "half, by default");
    }

    @Test
    void otherModesShareBothOverAllConnections() throws UsageException {
        Options o = OptionParser.parse("-c", "3", "-s", "10", "-g", "7");
        assertEquals(List.of(4, 3, 3), List.of(o.setsOf(0), o.setsOf(1), o.setsOf(2)));
        assertEquals(List.of(3, 2, 2), List.of(o.getsOf(0), o.getsOf(1), o.getsOf(2)));
    }

    @Test
    void badCommandLinesSayWhy() {
        assertUsage("unknown option -x", "-x");
        assertUsage("-c needs a value", "-c");
        assertUsage("-c wants a whole number from 1", "-c", "0");
        assertUsage("-i wants a whole number from 25", "-i", "10");
        assertUsage("-p wants a whole number from 1 to 65535, not http", "-p", "http");
        assertUsage("unknown -m value random", "-m", "random");
        assertUsage("--timeout wants seconds above 0", "--timeout", "0");
        assertUsage("--duration wants seconds above 0", "--duration", "-1");
        assertUsage("queue name must be", "-q", "a b");
        assertUsage("requests per connection", "-c", "1", "-s", "3000000000");
        assertUsage("--producers needs -m split", "--producers", "2");
        assertUsage("at least one consumer", "-m", "split", "-c", "2", "--producers", "2");
        assertUsage("at least one consumer", "-m", "split", "-c", "1");
        assertUsage("multiple of --cycle", "--queues", "10", "--cycle", "3");
        assertUsage("--get-options needs --target queue", "--target", "memcached", "--get-options", "/t=10");
        assertUsage("--get-options takes t=MS, open and close, not peek", "--get-options", "/peek");
    }

    private static void assertUsage(String message, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> OptionParser.parse(args));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
