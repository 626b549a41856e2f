package io.darner.crash;

import io.darner.testing.ServerProcess;
import io.darner.queue.QueueRepository;
import io.darner.queue.Repositories;
import io.darner.queue.ItemIntake;
import io.darner.storage.StoreDamage;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server on a copy of a store damaged on disk: garbage over a table file that holds
 * only items of queue {@code a} (between {@code b} and {@code c}), or a lost {@code CURRENT} file.
 * The server starts (or, when LevelDB cannot open the store, says how to repair it); reads that
 * hit the damage get {@code SERVER_ERROR} naming the queue while the other queues are served, and
 * the log names the damaged queue; a start with {@code DARNER_REPAIR_ON_START=true} brings the
 * queue back with every item that can still be read, in order.
 */
class DamagedStoreIT {
    private static final int A_ITEMS = 6000;
    private static final int ITEM_SIZE = 2048;
    private static final List<String> SMALL = List.of("one", "two", "three");

    private static Path pristine;

    @TempDir
    Path dir;
    private ServerProcess server;

    @BeforeAll
    static void buildStore() throws IOException {
        pristine = Files.createTempDirectory("darner-damaged-it-");
        QueueRepository repo = Repositories.open(pristine);
        try {
            SMALL.forEach(s -> put(repo, "b", s.getBytes(StandardCharsets.UTF_8)));
            for (int i = 0; i < A_ITEMS; i++) {
                put(repo, "a", itemOfA(i));
            }
            SMALL.forEach(s -> put(repo, "c", s.getBytes(StandardCharsets.UTF_8)));
        } finally {
            Repositories.close(repo);
        }
        StoreDamage.compact(pristine);
    }

    @AfterAll
    static void removeStore() {
        TempDataDir.deleteTree(pristine);
    }

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    private static void put(QueueRepository repo, String queue, byte[] data) {
        ItemIntake item = repo.beginItem(data.length);
        item.write(data, 0, data.length);
        item.finish(queue, 0, 0);
    }

    static byte[] itemOfA(int i) {
        byte[] data = new byte[ITEM_SIZE];
        new Random(i).nextBytes(data);
        ByteBuffer.wrap(data).putInt(i);
        return data;
    }

    private Path damagedCopy() {
        Path copy = StoreDamage.copy(pristine, dir.resolve("data"));
        List<Path> tables = StoreDamage.tables(copy);
        assertTrue(tables.size() >= 3, "queue a spans several tables: " + tables);
        StoreDamage.scribbleInsideAnItem(tables.get(1), DamagedStoreIT::itemOfA, A_ITEMS, 100);
        return copy;
    }

    @Test
    @Timeout(120)
    void aDamagedBlockFailsOnlyItsQueueAndTheRepairBringsBackTheRest() throws Exception {
        Path data = damagedCopy();
        server = ServerProcess.start(data);
        int taken = 0;
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertSmallQueuesServed(c);
            String error;
            while (true) {
                Object got = getOrError(c, "a");
                if (got instanceof String e) {
                    error = e;
                    break;
                }
                assertArrayEquals(itemOfA(taken), (byte[]) got, "item " + taken);
                taken++;
            }
            System.out.printf("damaged block: %d items of a served, then: %s%n", taken, error);
            assertTrue(error.startsWith("SERVER_ERROR cannot read queue a: read failed: Corruption: block checksum mismatch"),
                    error);
            for (int i = 0; i < 5; i++) {
                assertEquals(error, getOrError(c, "a"), "the damage stays in the way");
            }
            assertEquals("STORED", c.set("c", "four"), "the other queues are served");
            assertEquals("four", c.get("c"));
        }
        // named in the log; it may be logged again when a read of the queue worked in between
        server.awaitLog("queue 'a': its items cannot be read", 5000); // the log is read as it is written
        assertEquals(0, server.stop());
        // once per episode, not once per failed read (six of them): a second episode may begin when a
        // read of the queue worked in between
        int logged = server.logLines("queue 'a': its items cannot be read").size();
        assertTrue(logged >= 1 && logged <= 2, "logged once per episode, " + logged + " times\n" + server.log());

        server = new ServerProcess.Options(data).env("DARNER_REPAIR_ON_START", "true").start();
        System.out.println("repair: " + server.logLines("darner.repair-on-start: done"));
        assertEquals(1, server.logLines("lost in damaged blocks lay between").size(), server.log());
        int rest = 0;
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            int last = taken - 1;
            for (byte[] v = c.getBytes("a"); v != null; v = c.getBytes("a")) {
                int i = ByteBuffer.wrap(v).getInt();
                assertTrue(i > last, "in order: " + i + " after " + last);
                assertArrayEquals(itemOfA(i), v, "item " + i + " intact");
                last = i;
                rest++;
            }
            assertEquals(A_ITEMS - 1, last, "the items after the damage are all there");
        }
        System.out.printf("after the repair: %d items of a, %d lost with the damaged block%n", rest, A_ITEMS - taken - rest);
        assertTrue(rest > 0 && rest < A_ITEMS - taken, "items after the repair: " + rest);
        assertEquals(0, server.stop());
    }

    @Test
    @Timeout(120)
    void damageFoundAfterAKillMakesTheQueueRefuseAndTheOthersServe() throws Exception {
        Path data = damagedCopy();
        StoreDamage.forgetCleanStop(data); // as after a kill: the start recounts every queue
        server = ServerProcess.start(data);
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            Object got = getOrError(c, "a");
            assertTrue(got instanceof String e && e.startsWith("SERVER_ERROR queue a is damaged: Corruption"), String.valueOf(got));
            assertSmallQueuesServed(c);
        }
        assertEquals(1, server.logLines("queue 'a' is damaged").size(), server.log());
        String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(health.contains("\"damagedQueues\": \"a\"") || health.contains("\"damagedQueues\":\"a\""), health);
        assertEquals(0, server.stop());
    }

    @Test
    @Timeout(120)
    void aStoreLevelDbCannotOpenDoesNotStartAndSaysHowToRepairIt() throws Exception {
        Path data = StoreDamage.copy(pristine, dir.resolve("data"));
        StoreDamage.loseCurrent(data);
        ServerProcess failed = new ServerProcess.Options(data).startAndExpectExit();
        assertNotEquals(0, failed.exitValue());
        List<String> advice = failed.logLines("darner.repair-on-start=true");
        System.out.println("a store without its CURRENT file: " + advice);
        assertTrue(!advice.isEmpty(), failed.log());
        assertTrue(StoreDamage.tables(data).size() >= 3, "the tables are still there");

        server = new ServerProcess.Options(data).env("DARNER_REPAIR_ON_START", "true").start();
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertSmallQueuesServed(c);
            List<Integer> all = new ArrayList<>();
            for (byte[] v = c.getBytes("a"); v != null; v = c.getBytes("a")) {
                all.add(ByteBuffer.wrap(v).getInt());
            }
            assertEquals(A_ITEMS, all.size(), "every item, after the repair");
        }
        assertEquals(0, server.stop());
    }

    private static void assertSmallQueuesServed(MemcacheClient c) throws IOException {
        for (String q : new String[] {"b", "c"}) {
            for (String item : SMALL) {
                assertEquals(item, c.get(q), "queue " + q);
            }
            assertNull(c.get(q));
        }
    }

    /** The item's data, null for END, or the error line. */
    private static Object getOrError(MemcacheClient c, String queue) throws IOException {
        c.send("get " + queue + "\r\n");
        String line = c.readLine();
        if (line.equals("END")) {
            return null;
        }
        if (!line.startsWith("VALUE ")) {
            return line;
        }
        byte[] data = c.readBytes(Integer.parseInt(line.split(" ")[3]));
        assertEquals("", c.readLine());
        assertEquals("END", c.readLine());
        return data;
    }
}
