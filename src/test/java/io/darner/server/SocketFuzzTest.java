package io.darner.server;

import io.darner.protocol.DataChunk;
import io.darner.protocol.GetKey;
import io.darner.protocol.ParseEvent;
import io.darner.protocol.QueueNames;
import io.darner.protocol.Request;
import io.darner.protocol.RequestParser;
import io.darner.testing.MemcacheClient;
import io.darner.testing.RequestFuzzer;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live server fuzzed over sockets: thousands of random, mutated and garbage requests from many
 * connections at once, bounded in time. Control queues are filled first and never named by the
 * fuzz (streams that would name them, or change the whole server, are drawn again). Every reply
 * byte must be well-formed, and no request may meet an internal error. Afterwards the server
 * serves normally, every connection is gone with its waiters and open reads, the counters are
 * consistent (curr_items is the sum of the queues, nothing negative), and the control queues hold
 * exactly what they held, byte for byte and in order. {@code -Dfuzz.seed=} replays a run.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class SocketFuzzTest extends ServerTestBase {
    private static final long SEED = Long.getLong("fuzz.seed", 20_240_611L);
    /** Half of them gentle (2% mutated, 1% garbage: long sessions), half harsh (35% and 10%: closed early). */
    private static final int CONNECTIONS = 240;
    private static final int PIECES_PER_CONNECTION = 80;
    private static final int PARALLEL = 16;
    /** The most one fuzz connection is given, from its connect to its close. */
    private static final long CONNECTION_MS = 3000;
    private static final int MAX_LINE = 2048;
    private static final int MAX_ITEM = 32 * 1024 * 1024;

    @Test
    @Timeout(120)
    void fuzzedByManyConnectionsTheServerKeepsServingAndLosesNothing() throws Exception {
        Map<String, List<MemcacheClient.Item>> control = fillControlQueues();
        List<String> fuzzQueues = List.of(q + ".a", q + ".b", q + ".c", q + ".fan", q + ".fan+x", q + ".c+y");
        long connectionsBefore = globalStat("curr_connections");

        Set<String> named = ConcurrentHashMap.newKeySet(); // every queue a fuzz request names, to delete afterwards
        Collection<String> problems = new ConcurrentLinkedQueue<>();
        AtomicLong requests = new AtomicLong();
        AtomicLong replyLines = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        ExecutorService writers = Executors.newCachedThreadPool();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int connection = i;
                runs.add(pool.submit(() -> {
                    byte[] stream = streamFor(connection, fuzzQueues, control.keySet(), named, requests);
                    fuzzOneConnection(connection, stream, writers, problems, replyLines);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            writers.shutdownNow();
        }
        System.out.printf("socket fuzz: %d connections, %d requests, %d reply lines, %d problems%n", CONNECTIONS,
                requests.get(), replyLines.get(), problems.size());
        assertTrue(problems.isEmpty(), problems.size() + " problems, the first: " + problems.stream().limit(5).toList());
        assertTrue(requests.get() >= 3000, "requests: " + requests.get());

        // every fuzz connection is gone, with its waits and open reads
        awaitStat("curr_connections", v -> v <= connectionsBefore);
        for (String queue : named) {
            Map<String, Long> s = queueStats(queue);
            if (!s.isEmpty()) {
                assertEquals(0, s.get("waiters"), queue + " waiters");
                assertEquals(0, s.get("open_transactions"), queue + " open reads");
            }
        }
        assertCountersConsistent();

        // the control queues hold exactly what they held
        for (Map.Entry<String, List<MemcacheClient.Item>> e : control.entrySet()) {
            Map<String, Long> s = queueStats(e.getKey());
            assertEquals(e.getValue().size(), s.get("items"), e.getKey() + " items");
            assertEquals(e.getValue().stream().mapToLong(it -> it.data().length).sum(), s.get("bytes"), e.getKey() + " bytes");
            assertEquals(0, s.get("open_transactions"));
        }
        MemcacheClient c = connect();
        for (Map.Entry<String, List<MemcacheClient.Item>> e : control.entrySet()) {
            for (MemcacheClient.Item expected : e.getValue()) {
                c.send("get " + e.getKey() + "\r\n");
                MemcacheClient.Item got = c.readItem();
                assertEquals(expected.flags(), got.flags(), e.getKey());
                assertArrayEquals(expected.data(), got.data(), e.getKey());
            }
            assertNull(c.get(e.getKey()), e.getKey() + " holds nothing more");
        }

        // and serves as before
        assertEquals("STORED", c.set(q + ".after", "fine"));
        assertEquals("fine", c.get(q + ".after"));
        assertAlive(c);
        for (String queue : named) {
            assertEquals("DELETED", c.call("delete " + queue));
        }
        assertCountersConsistent();
    }

    /** Control queues with small items of random flags, an empty item and a large one; returns what each holds. */
    private Map<String, List<MemcacheClient.Item>> fillControlQueues() throws IOException {
        Random random = new Random(SEED);
        Map<String, List<MemcacheClient.Item>> control = new LinkedHashMap<>();
        MemcacheClient c = connect();
        for (int i = 0; i < 3; i++) {
            String name = "fuzzcontrol" + i + "." + q;
            List<MemcacheClient.Item> items = new ArrayList<>();
            for (int n = 0; n < 25; n++) {
                byte[] data = randomBytes(n == 7 ? 200 * 1024 : n == 3 ? 0 : random.nextInt(300), random.nextLong());
                long flags = random.nextInt() & 0xffffffffL;
                assertEquals("STORED", c.send(MemcacheClient.setRequest(name, flags, 0, data, "")).readLine());
                items.add(new MemcacheClient.Item(name, flags, data));
            }
            control.put(name, items);
        }
        return control;
    }

    /**
     * The fuzz stream of one connection: drawn again until, parsed as the server parses it, it
     * names no control queue and changes nothing server-wide. Records the queues it names.
     */
    private static byte[] streamFor(int connection, List<String> queues, Set<String> control, Set<String> named,
                                    AtomicLong requests) {
        Random random = new Random(SEED * 31 + connection);
        RequestFuzzer fuzzer = new RequestFuzzer(random, queues, false);
        if (connection % 2 == 0) {
            fuzzer.noise(2, 1);
        }
        while (true) {
            byte[] stream = fuzzer.stream(PIECES_PER_CONNECTION);
            List<String> names = new ArrayList<>();
            int n = countRequests(stream, names);
            if (n >= 0 && names.stream().noneMatch(control::contains)) {
                named.addAll(names);
                requests.addAndGet(n);
                return stream;
            }
        }
    }

    /** The requests of a stream, or -1 if one of them changes the whole server; collects the queues named. */
    private static int countRequests(byte[] stream, List<String> names) {
        RequestParser parser = new RequestParser(MAX_LINE, MAX_ITEM);
        parser.feed(ByteBuffer.wrap(stream));
        int n = 0;
        for (ParseEvent e = parser.next(); e != null; e = parser.next()) {
            if (e instanceof DataChunk) {
                continue;
            }
            n++;
            if (e instanceof Request.FlushAll || e instanceof Request.Shutdown
                    || (e instanceof Request.Status s && s.word() != null)) {
                return -1;
            }
            if (e instanceof Request.Set s) {
                names.add(s.queue());
            } else if (e instanceof Request.Get g) {
                g.keys().stream().map(GetKey::queue).forEach(names::add);
            } else if (e instanceof Request.Delete d) {
                names.add(d.queue());
            } else if (e instanceof Request.Flush f) {
                names.add(f.queue());
            } else if (e instanceof Request.FlushExpired f) {
                names.add(f.queue());
            } else if (e instanceof Request.Monitor m) {
                names.add(m.queue());
            } else if (e instanceof Request.Confirm c) {
                names.add(c.queue());
            } else if (e instanceof Request.DumpStats d) {
                names.addAll(d.queues());
            }
        }
        return n;
    }

    /** Writes the stream in random pieces while reading and checking every reply, until the server closes or time is up. */
    private void fuzzOneConnection(int connection, byte[] stream, ExecutorService writers, Collection<String> problems,
                                   AtomicLong replyLines) throws Exception {
        Random random = new Random(SEED * 17 + connection);
        long deadline = System.currentTimeMillis() + CONNECTION_MS;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", listener.port()), 5000);
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            Future<?> writing = writers.submit(() -> {
                for (int from = 0; from < stream.length; ) {
                    int to = Math.min(stream.length, from + 1 + random.nextInt(random.nextBoolean() ? 16 : 4096));
                    out.write(stream, from, to - from);
                    out.flush();
                    from = to;
                }
                return null;
            });
            ReplyChecker replies = new ReplyChecker();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[16 * 1024];
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() < deadline) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    if (writing.isDone() && System.currentTimeMillis() - quietSince > 400) {
                        break; // everything sent and nothing more coming: a blocked get, a set waiting for its data
                    }
                    continue;
                } catch (IOException e) {
                    break; // reset: the server closed while we were still writing
                }
                if (n < 0) {
                    break;
                }
                quietSince = System.currentTimeMillis();
                String problem = replies.accept(buf, n);
                if (problem != null) {
                    problems.add("connection " + connection + ": " + problem);
                    break;
                }
            }
            writing.cancel(true);
            replyLines.addAndGet(replies.lines);
        }
    }

    /**
     * Checks a reply stream as it arrives: every line ends in CRLF and is a reply the spec allows
     * (with printable error reasons, and no SERVER_ERROR but for an item over the size limit), and
     * a VALUE line is followed by exactly its data and CRLF.
     */
    static final class ReplyChecker {
        private static final Pattern LINE = Pattern.compile("STORED|NOT_STORED|END|DELETED|ERROR|TOUCHED|NOT_FOUND|\\d+|up|readonly|quiescent"
                + "|CLIENT_ERROR [\\x20-\\x7e]{1,200}|SERVER_ERROR object too large for cache|VERSION \\S+"
                + "|STAT \\S+ [\\x20-\\x7e]*|queue '\\S+' \\{|  [a-z_]+=[\\x20-\\x7e]*|\\}");
        private static final Pattern VALUE = Pattern.compile("VALUE (\\S+) (\\d+) (\\d+)");

        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        /** Data bytes (and then the CRLF) still to come of the current VALUE. */
        private long data = -1;
        private boolean dataCr;
        long lines;

        /** Null, or what is wrong. */
        String accept(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (data > 0) {
                    data--;
                    continue;
                }
                if (data == 0) {
                    if (!dataCr) {
                        if (b != '\r') {
                            return "data not followed by CR";
                        }
                        dataCr = true;
                    } else {
                        if (b != '\n') {
                            return "data not followed by CRLF";
                        }
                        data = -1;
                        dataCr = false;
                    }
                    continue;
                }
                if (b != '\n') {
                    line.write(b);
                    if (line.size() > 4096) {
                        return "a reply line over 4 KiB";
                    }
                    continue;
                }
                byte[] l = line.toByteArray();
                line.reset();
                if (l.length == 0 || l[l.length - 1] != '\r') {
                    return "a reply line not ended by CRLF";
                }
                String text = new String(l, 0, l.length - 1, StandardCharsets.ISO_8859_1);
                lines++;
                java.util.regex.Matcher value = VALUE.matcher(text);
                if (value.matches()) {
                    if (!QueueNames.isValid(value.group(1).split("/", -1)[0])) {
                        return "VALUE of a bad queue name: " + text;
                    }
                    data = Long.parseLong(value.group(3));
                    if (data > MAX_ITEM) {
                        return "VALUE longer than any item: " + text;
                    }
                } else if (!LINE.matcher(text).matches()) {
                    return "a reply the spec does not allow: " + text;
                }
            }
            return null;
        }
    }
}
