package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                "--threads", "3", "--label", "run 1");
        assertEquals(new Options("db1", 11211, 1000, 5, 6, 1024, "jobs", 4, Options.Mode.INTERLEAVED,
                Options.Target.MEMCACHED, 2.5, "run 1", 3), o);
    }

    @Test
    void queuesAreNumberedWhenThereAreSeveral() throws UsageException {
        assertEquals("bench", OptionParser.parse().queueFor(7));
        Options three = OptionParser.parse("--queues", "3");
        assertEquals("bench_0", three.queueFor(0));
        assertEquals("bench_1", three.queueFor(7));
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
        assertUsage("queue name must be", "-q", "a b");
        assertUsage("requests per connection", "-c", "1", "-s", "3000000000");
    }

    private static void assertUsage(String message, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> OptionParser.parse(args));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
