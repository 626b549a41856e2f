package io.darner.platform;

import io.darner.testing.Executables;
import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server on aarch64: Debian's arm64 Java runtime, unpacked into
 * {@code target/arm64-root} by {@code src/test/arm64/jre-root.sh} (the machine's own JDK is left
 * alone), run under {@code qemu-aarch64-static}. The store opens on the native LevelDB built for
 * aarch64, and a few requests and a restart with items work. Emulation is slow: one small run,
 * its times printed. Skipped where qemu or the arm64 package lists are missing, except under CI
 * ({@code CI=true}: {@code .ci/run} installs them).
 */
class Arm64IT {
    private static final Path ROOT = Path.of("target", "arm64-root").toAbsolutePath();
    private static final String JAVA = "usr/lib/jvm/java-17-openjdk-arm64/bin/java";
    private static final long START_TIMEOUT_S = 600;

    @TempDir
    Path dataDir;
    private ServerProcess server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    @Test
    @Timeout(1800)
    void theServerRunsOnAarch64OnTheNativeLevelDb() throws Exception {
        List<String> java = aarch64Java();
        long started = System.nanoTime();
        server = start(java);
        long firstStartMs = (System.nanoTime() - started) / 1_000_000;
        String engine = server.awaitLog("store engine: ", 10_000);
        assertTrue(engine.contains("native LevelDB") && engine.contains("META-INF/native/linux64/aarch64/libleveldbjni.so")
                && engine.contains("aarch64"), "the aarch64 build of leveldbjni loaded: " + engine);
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            c.setTimeout(120_000);
            for (String item : new String[] {"a", "b", "c"}) {
                assertEquals("STORED", c.set("jobs", item));
            }
            assertEquals("a", c.get("jobs"));
            assertEquals("b", c.get("jobs/open"));
            assertEquals("END", c.call("get jobs/close"), "b confirmed");
            assertEquals("STORED", c.set("jobs", "d"));
            assertEquals("c", c.get("jobs/open"), "held open while the server stops");
        }
        assertEquals(0, server.stop(), server.log());

        long restarted = System.nanoTime();
        server = start(java);
        long secondStartMs = (System.nanoTime() - restarted) / 1_000_000;
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            c.setTimeout(120_000);
            Map<String, Long> stats = c.queueStats("jobs");
            assertEquals(2, stats.get("items"), "c (back from its open read) and d: " + stats);
            assertEquals("c", c.get("jobs"));
            assertEquals("d", c.get("jobs"));
            assertNull(c.get("jobs"));
        }
        assertEquals(0, server.stop(), server.log());
        System.out.printf("aarch64 under qemu: first start %d ms, restart %d ms, whole test %d ms%n",
                firstStartMs, secondStartMs, (System.nanoTime() - started) / 1_000_000);
    }

    private ServerProcess start(List<String> java) throws Exception {
        return new ServerProcess.Options(dataDir).java(java, START_TIMEOUT_S).start();
    }

    /** qemu-aarch64-static running the arm64 java of {@link #ROOT}, unpacked first if needed; or the test is skipped. */
    private static List<String> aarch64Java() throws Exception {
        Optional<Path> qemu = Executables.onPath("qemu-aarch64-static");
        String missing = null;
        if (qemu.isEmpty()) {
            missing = "no qemu-aarch64-static (Debian's qemu-user-static)";
        } else if (!Files.isExecutable(ROOT.resolve(JAVA))) {
            Executables.Result unpacked = Executables.run(List.of("src/test/arm64/jre-root.sh", ROOT.toString()), Map.of(), 900);
            if (!unpacked.ok()) {
                missing = "no arm64 Java runtime (dpkg --add-architecture arm64; apt-get update): " + unpacked;
            }
        }
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(missing + "; not skipped under CI");
            }
            Assumptions.abort(missing);
        }
        // C1 only: C2's compilations cost most under emulation, and a short run gains nothing from them
        return List.of(qemu.get().toString(), "-L", ROOT.toString(), ROOT.resolve(JAVA).toString(),
                "-XX:TieredStopAtLevel=1");
    }
}
