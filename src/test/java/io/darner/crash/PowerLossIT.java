package io.darner.crash;

import io.darner.storage.StoreEngine;
import io.darner.storage.TestEngine;
import io.darner.testing.ItemId;
import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Power cuts: the packaged server runs on the {@link PowerCutFs} file system, which drops every write
 * not yet fsynced when the power is cut (and, in the strict mode, every create, rename and unlink
 * whose directory was not fsynced). Each cycle cuts the power at one stage of a store's life, with
 * the server still running, kills the server, mounts the file system again (what the cut left) and
 * starts the server on it, which must start, then checks what each queue holds against what its
 * clients were told (docs/reliability.md, Power loss):
 * <ul>
 * <li>{@code durable} and {@code durable_flushed} sync always: nothing acknowledged lost, nothing
 * confirmed back, the flushed queue exactly what was stored since its last flush, order kept;</li>
 * <li>{@code lazy} syncs as the server does: never, or every {@value #SYNC_PERIOD_MS} ms in every
 * other cycle; one producer sets every {@value #SYNC_EVERY}th item with {@code /sync}: what is lost
 * is only what was written after the last fsync (see {@link Ledger#verifyAfterPowerLoss}), every
 * value exact.</li>
 * </ul>
 */
class PowerLossIT {
    /** Cycles per mode of the file system; the soak runs more (-Dpowerloss.cycles). */
    private static final int CYCLES = Integer.getInteger("powerloss.cycles", 25);
    private static final long SEED = Long.getLong("powerloss.seed", 16);
    private static final String DURABLE = "durable";
    private static final String DURABLE_FLUSHED = "durable_flushed";
    private static final String LAZY = "lazy";
    private static final String CHECKED = "checked";
    private static final int SYNC_EVERY = 10;
    private static final long SYNC_PERIOD_MS = 100;
    /** How much older than the period a lost item may be (the fsync's own time, on a busy host). */
    private static final long PERIOD_SLACK_MS = 2000;
    /** An armed cut that has not come by then is made at once. */
    private static final long ARMED_CUT_WAIT_MS = 4000;

    /** Where in a store's life the power is cut. */
    enum Stage {
        /** in the first seconds of a new store: while it is created, opened, takes its first writes */
        NEW_STORE,
        /** while a store killed under load starts again: its log replayed into a table, a new manifest, CURRENT */
        RESTART,
        /** at a random moment under load */
        LOAD,
        /** as LevelDB switches to a new log */
        LOG_SWITCH,
        /** as LevelDB writes a table (a full memtable, or a compaction) */
        TABLE,
        /** as LevelDB records a new table in its manifest */
        MANIFEST,
        /** as LevelDB deletes a log whose writes are in a table */
        OLD_LOG_DELETED
    }

    /** The stages cut at, in turn: all of them, or those -Dpowerloss.stages names (LOG_SWITCH,TABLE). */
    private static final List<Stage> STAGES = stages(System.getProperty("powerloss.stages", ""));
    /** With -Dpowerloss.keepGoing the cycles go on after a broken invariant, and the run fails at the end with the count. */
    private static final boolean KEEP_GOING = System.getProperty("powerloss.keepGoing") != null;

    @TempDir
    Path root;
    private PowerCutFs fs;
    private ServerProcess server;
    private final Random random = new Random(SEED);
    private Path store;
    private final Map<Stage, int[]> cutsByStage = new EnumMap<>(Stage.class);

    @AfterEach
    void tearDown() throws Exception {
        if (server != null && server.isAlive()) {
            server.kill();
        }
        if (fs != null) {
            fs.close();
        }
    }

    @ParameterizedTest
    @EnumSource(PowerCutFs.Names.class)
    @Timeout(value = 12, unit = TimeUnit.HOURS) // each step has its own time limit
    void powerCutsLoseOnlyWhatWasNeverFsyncedAndTheStoreAlwaysStarts(PowerCutFs.Names names) throws Exception {
        String only = System.getProperty("powerloss.names", "");
        Assumptions.assumeTrue(only.isBlank() || only.equals(names.name()), "-Dpowerloss.names=" + only);
        // the build's java-engine execution runs it too when -Dit.test names it: the cuts are made on the native engine
        Assumptions.assumeFalse(TestEngine.chosen().kind() == StoreEngine.Kind.JAVA,
                "the power cuts run on the native engine (darner.store-engine=" + TestEngine.setting() + ")");
        Optional<String> missing = PowerCutFs.unavailable();
        if (missing.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the power-loss test cannot run: " + missing.get());
            }
            Assumptions.abort("the power-loss test needs FUSE: " + missing.get());
        }
        long started = System.nanoTime();
        fs = PowerCutFs.mount(root, names);
        store = fs.dir().resolve("store-0");
        server = start(syncFor(0));
        Totals totals = new Totals();
        List<String> broken = new ArrayList<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Stage stage = STAGES.get(cycle % STAGES.size());
            try {
                runCycle(cycle, stage, totals);
            } catch (AssertionError e) {
                if (!KEEP_GOING || server == null || !server.isAlive()) {
                    throw e;
                }
                String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                broken.add("cycle " + cycle + " (" + stage + "): " + first);
                System.out.printf("POWER CUT %d BROKE AN INVARIANT (%s): %s%n", cycle, stage, e.getMessage());
            }
        }
        System.out.printf("POWER LOSS (%s names): %d power cuts in %d s, seed %d: %s; %s%n", names, CYCLES,
                (System.nanoTime() - started) / 1_000_000_000, SEED, totals,
                broken.isEmpty() ? "no invariant broken" : broken.size() + " broke an invariant");
        if (!broken.isEmpty()) {
            fail(broken.size() + " of " + CYCLES + " power cuts broke an invariant:\n" + String.join("\n", broken));
        }
        assertEquals(0, server.stop(), "a graceful stop exits 0");
    }

    private void runCycle(int cycle, Stage stage, Totals totals) throws Exception {
        long period = syncFor(cycle);
        AtomicLong lastDurableSend = new AtomicLong(Long.MIN_VALUE);
        Ledger durable = new Ledger(lastDurableSend, true);
        FlushLedger flushed = new FlushLedger();
        Ledger lazy = new Ledger(lastDurableSend, false);
        List<Workload> loads = new ArrayList<>();
        String detail;
        long serverEnd = 0; // when the loaded server stopped writing: at the kill before a restart, else at the cut
        switch (stage) {
            case NEW_STORE -> {
                server.kill();
                store = fs.dir().resolve("store-" + (cycle + 1));
                if (random.nextInt(3) == 0) {
                    // LevelDB's creation: the 1st names its first manifest, which it never fsyncs; the 2nd, the open's
                    int n = 1 + random.nextInt(2);
                    fs.armCut(n, "rename", "CURRENT");
                    server = launch(period);
                    boolean armed = awaitCut(ARMED_CUT_WAIT_MS * 5);
                    detail = "a new store's creation, cut after its " + n + ordinal(n) + " rename of CURRENT"
                            + (armed ? "" : " (not reached: cut at " + ARMED_CUT_WAIT_MS * 5 + " ms)");
                } else {
                    detail = cutWhileStarting(period, cycle, durable, flushed, lazy, loads);
                }
            }
            case RESTART -> {
                startLoads(cycle, durable, flushed, lazy, loads);
                Thread.sleep(300 + random.nextInt(500));
                loads.forEach(Workload::expectServerDeath);
                server.kill(); // the process dies; the file system keeps what it was given
                serverEnd = System.nanoTime();
                for (Workload w : loads) {
                    w.awaitEnd();
                }
                String[][] events = {{"rename", "CURRENT"}, {"create", ".sst"}, {"fsync", "MANIFEST"},
                        {"unlink", ".log"}, {"write", "MANIFEST"}};
                String[] event = events[random.nextInt(events.length)];
                // the 1st: in the copy the start reads the format version from; the 2nd: in the store itself
                int n = 1 + random.nextInt(2);
                fs.armCut(n, event[0], event[1]);
                server = launch(period);
                boolean armed = awaitCut(ARMED_CUT_WAIT_MS * 5);
                detail = "the restart after a kill, cut after its " + n + ordinal(n) + " " + event[0] + " of " + event[1]
                        + (armed ? "" : " (not reached: cut at " + ARMED_CUT_WAIT_MS * 5 + " ms)");
            }
            case LOAD -> {
                startLoads(cycle, durable, flushed, lazy, loads);
                int after = 100 + random.nextInt(1500);
                Thread.sleep(after);
                fs.cutNow();
                detail = "cut " + after + " ms into the load";
            }
            default -> {
                String[] event = switch (stage) {
                    case LOG_SWITCH -> new String[] {"create", ".log"};
                    case TABLE -> random.nextBoolean() ? new String[] {"create", ".sst"} : new String[] {"fsync", ".sst"};
                    case MANIFEST -> new String[] {"write", "MANIFEST"};
                    default -> new String[] {"unlink", ".log"};
                };
                int n = 1 + random.nextInt(2);
                fs.armCut(n, event[0], event[1]);
                startLoads(cycle, durable, flushed, lazy, loads);
                boolean armed = awaitCut(ARMED_CUT_WAIT_MS);
                detail = "cut after the " + n + ordinal(n) + " " + event[0] + " of " + event[1]
                        + (armed ? "" : " (not reached: cut at " + ARMED_CUT_WAIT_MS + " ms)");
            }
        }
        PowerCutFs.Cut cut = fs.awaitCut();
        String cutLog = fs.logText();
        keepWhatTheCutLeft();
        long cutNanos = System.nanoTime() + (cut.atMillis() - System.currentTimeMillis()) * 1_000_000;
        if (serverEnd == 0) {
            serverEnd = cutNanos;
        }
        durable.failuresExpectedFrom(cut.atMillis());
        lazy.failuresExpectedFrom(cut.atMillis());
        flushed.failuresExpectedFrom(cut.atMillis());
        loads.forEach(Workload::expectServerDeath);
        server.kill();
        for (Workload w : loads) {
            w.awaitEnd();
        }

        fs = PowerCutFs.mount(root, fs.names());
        server = start(syncFor(cycle + 1));
        List<ItemId> drainedDurable = drain(DURABLE);
        List<ItemId> drainedFlushed = drain(DURABLE_FLUSHED);
        List<ItemId> drainedLazy = drain(LAZY);
        makeTakesDurable();
        String sync = period > 0 ? "sync " + period + " ms" : "sync never";
        System.out.printf("power cut %d (%s names, %s), %s: dropped %d bytes of %d files, undid %d name changes%s%n"
                + "  durable: %s; %s%n", cycle, fs.names(), sync, detail, cut.droppedBytes(), cut.files(),
                cut.namesUndone(), startNotes(), durable.summary(drainedDurable), flushed.summary(drainedFlushed));
        if (System.getProperty("powerloss.debug") != null) {
            System.out.println(cutLog + server.log());
        }
        Ledger.Loss loss;
        try {
            durable.verify(drainedDurable);
            flushed.verify(drainedFlushed);
            loss = lazy.verifyAfterPowerLoss(drainedLazy, serverEnd, period, PERIOD_SLACK_MS);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- the file system at the cut:\n" + cutLog
                    + "--- the server after it:\n" + server.log() + "\n" + saveEvidence(cycle), e);
        }
        System.out.printf("  lazy%s: %s; lost %d, the oldest acknowledged %d ms before the cut (or kill); confirmed and back %d%n",
                lazyAlone(cycle) ? " (alone, no /sync)" : "", lazy.summary(drainedLazy), loss.lost(), loss.oldestLostMs(),
                loss.confirmedBack());
        totals.add(stage, durable, lazy, loss, period, lazyAlone(cycle), server);
    }

    /**
     * The durable queues' full load, and the lazy queue's; in one cycle in four, the lazy queue's
     * alone, without {@code /sync}: then nothing but LevelDB itself (and the period) fsyncs.
     */
    private void startLoads(int cycle, Ledger durable, FlushLedger flushed, Ledger lazy, List<Workload> loads) {
        if (lazyAlone(cycle)) {
            loads.add(Workload.startWithSyncs(server.port(), LAZY, cycle, lazy, 0));
            return;
        }
        loads.add(Workload.start(server.port(), DURABLE, cycle, durable, DURABLE_FLUSHED, flushed));
        loads.add(Workload.startWithSyncs(server.port(), LAZY, cycle, lazy, SYNC_EVERY));
    }

    private static List<Stage> stages(String names) {
        if (names.isBlank() || names.equals("ALL")) {
            return List.of(Stage.values());
        }
        return java.util.Arrays.stream(names.split(",")).map(Stage::valueOf).toList();
    }

    private static boolean lazyAlone(int cycle) {
        return cycle % 4 >= 2 && cycle % 4 == 2 + cycle / 4 % 2; // cycles 2, 7, 10, 15, ...: sync never and sync 100 ms in turn
    }

    /** Waits for an armed cut; cuts at once if it has not come within {@code ms}. Whether it came. */
    /** A cut at a random moment of a new store's first 3 s: the JVM's start, LevelDB's creation, the first writes. */
    private String cutWhileStarting(long period, int cycle, Ledger durable, FlushLedger flushed, Ledger lazy,
            List<Workload> loads) throws Exception {
        int cutAfterMs = random.nextInt(3000);
        long deadline = System.nanoTime() + cutAfterMs * 1_000_000L;
        server = launch(period);
        while (System.nanoTime() < deadline) {
            if (loads.isEmpty() && server.listening()) {
                startLoads(cycle, durable, flushed, lazy, loads);
            }
            Thread.sleep(5);
        }
        fs.cutNow();
        return "cut " + cutAfterMs + " ms after the start of a new store"
                + (loads.isEmpty() ? ", before it listened" : "");
    }

    private boolean awaitCut(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!fs.isCut() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (fs.isCut()) {
            return true;
        }
        fs.cutNow();
        return false;
    }

    /** The server's settings: the lazy queue syncs never, or every {@value #SYNC_PERIOD_MS} ms in odd cycles. */
    private static long syncFor(int cycle) {
        return cycle % 2 == 1 ? SYNC_PERIOD_MS : 0;
    }

    private ServerProcess.Options options(long period) {
        // after a cut, LevelDB's reads of its memory-mapped tables end in SIGBUS: the JVM's crash report goes here
        return new ServerProcess.Options(store).jvmOption("-XX:ErrorFile=" + root.resolve("hs_err_%p.log"))
                .jvmOption("-XX:-CreateCoredumpOnCrash")
                .env("DARNER_SYNC", period > 0 ? Long.toString(period) : "never")
                .property("darner.queues." + DURABLE + ".sync", "always")
                .property("darner.queues." + DURABLE_FLUSHED + ".sync", "always");
    }

    private ServerProcess launch(long period) throws IOException {
        return options(period).launch();
    }

    /** Starts the server after a cut: it must start, without a repair by hand. */
    private ServerProcess start(long period) throws IOException, InterruptedException {
        return options(period).start();
    }

    /** What the server said at its start about the store's state. */
    private String startNotes() {
        List<String> notes = new ArrayList<>();
        for (String marker : List.of("left incomplete", "table files that are missing", "does not pass LevelDB's checks",
                "CURRENT", "created again", "last stop was not clean")) {
            server.logLines(marker).stream().findFirst().ifPresent(l -> notes.add(l.replaceFirst(".*\\] ", "")));
        }
        return notes.isEmpty() ? "" : "\n  at the start: " + String.join("; ", notes);
    }

    /**
     * Copies the store as the cut left it (before the restart changes it) to {@code evidence/last},
     * and the copy of the cut before to {@code evidence/before}: what {@link #saveEvidence} keeps.
     */
    private void keepWhatTheCutLeft() throws IOException {
        Path evidence = root.resolve("evidence");
        StoreEvidence.delete(evidence.resolve("before"));
        if (Files.exists(evidence.resolve("last"))) {
            Files.move(evidence.resolve("last"), evidence.resolve("before"));
        }
        StoreEvidence.copy(root.resolve("backing").resolve(store.getFileName()), evidence.resolve("last"));
    }

    /**
     * Keeps, in target/powerloss-evidence, what this cut and the one before left of the store, and
     * its files now (after the restart: LevelDB's info logs of the session the cut ended, LOG.old, and
     * of the restart, LOG); returns where, and what the store held after the cut.
     */
    private String saveEvidence(int cycle) {
        try {
            Path kept = Path.of("target", "powerloss-evidence", fs.names() + "-cycle-" + cycle).toAbsolutePath();
            Path evidence = root.resolve("evidence");
            StoreEvidence.delete(kept);
            for (String which : List.of("before", "last")) {
                if (Files.exists(evidence.resolve(which))) {
                    StoreEvidence.copy(evidence.resolve(which), kept.resolve(which));
                }
            }
            StoreEvidence.copy(root.resolve("backing").resolve(store.getFileName()), kept.resolve("after-restart"));
            return "--- the store as the cut left it (copies in " + kept + "):\n"
                    + StoreEvidence.describe(evidence.resolve("last"));
        } catch (IOException | RuntimeException e) {
            return "--- (the evidence could not be kept: " + e + ")";
        }
    }

    /** Takes every item with plain gets, checking each one's data. */
    private List<ItemId> drain(String queue) throws IOException {
        List<ItemId> drained = new ArrayList<>();
        try (MemcacheClient client = new MemcacheClient(server.port())) {
            for (byte[] v = client.getBytes(queue); v != null; v = client.getBytes(queue)) {
                drained.add(ItemId.of(v));
            }
        }
        return drained;
    }

    /**
     * A plain get's removal is not fsynced before its reply (sync=always waits for confirmations,
     * not for takes): one set with {@code /sync} makes the check's takes durable, so that the next
     * cut tests the next load alone.
     */
    private void makeTakesDurable() throws IOException {
        try (MemcacheClient client = new MemcacheClient(server.port())) {
            assertEquals("STORED", client.set(CHECKED + "/sync", "checked"));
        }
    }

    private static String ordinal(int n) {
        return n == 1 ? "st" : n == 2 ? "nd" : "th";
    }

    /** The run's figures. */
    private final class Totals {
        private long durableStored;
        private long lazyStored;
        private long lazyLost;
        private long confirmedBack;
        private long oldestLostNeverMs;
        private long oldestLostPeriodMs;
        private int tornLogs;
        private int uncheckedOpens;
        private int repairs;

        private long aloneStored;
        private long aloneLost;

        void add(Stage stage, Ledger durable, Ledger lazy, Ledger.Loss loss, long period, boolean alone,
                 ServerProcess restarted) {
            cutsByStage.computeIfAbsent(stage, s -> new int[1])[0]++;
            if (alone) {
                aloneStored += lazy.storedCount();
                aloneLost += loss.lost();
            }
            durableStored += durable.storedCount();
            lazyStored += lazy.storedCount();
            lazyLost += loss.lost();
            confirmedBack += loss.confirmedBack();
            if (period > 0) {
                oldestLostPeriodMs = Math.max(oldestLostPeriodMs, loss.oldestLostMs());
            } else {
                oldestLostNeverMs = Math.max(oldestLostNeverMs, loss.oldestLostMs());
            }
            if (!restarted.logLines("left incomplete").isEmpty()) {
                tornLogs++;
            }
            if (!restarted.logLines("does not pass LevelDB's checks").isEmpty()) {
                uncheckedOpens++;
            }
            if (!restarted.logLines("table files that are missing").isEmpty()) {
                repairs++;
            }
        }

        @Override
        public String toString() {
            return String.format("cuts by stage %s; durable queues: %d items acknowledged; lazy queue: %d "
                    + "acknowledged, %d lost (the oldest %d ms before the cut with sync never, %d ms with sync %d ms), "
                    + "%d confirmed and back (in the cycles where it ran alone: %d acknowledged, %d lost); %d starts "
                    + "cut a log back to its last whole record, %d repaired a manifest naming missing tables, %d opened without "
                    + "LevelDB's checks", stages(), durableStored, lazyStored, lazyLost, oldestLostNeverMs, oldestLostPeriodMs,
                    SYNC_PERIOD_MS, confirmedBack, aloneStored, aloneLost, tornLogs, repairs, uncheckedOpens);
        }

        private String stages() {
            StringBuilder b = new StringBuilder();
            cutsByStage.forEach((s, n) -> b.append(b.length() == 0 ? "" : ", ").append(s).append(' ').append(n[0]));
            return b.toString();
        }
    }
}
