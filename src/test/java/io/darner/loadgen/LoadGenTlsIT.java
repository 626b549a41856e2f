package io.darner.loadgen;

import io.darner.testing.ServerProcess;
import io.darner.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator's {@code --tls} against the packaged server serving TLS: every reply verified. */
class LoadGenTlsIT {
    @TempDir
    static Path dir;
    private static TestCertificates.Authority authority;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        authority = TestCertificates.authority(dir.resolve("certs"), "darner");
        TestCertificates.Pem served = authority.issue("server");
        server = new ServerProcess.Options(dir.resolve("data"))
                .env("DARNER_TLS_CONFIGURATION_NAME", "bench")
                .env("QUARKUS_TLS__BENCH__KEY_STORE_PEM__0__CERT", served.cert().toString())
                .env("QUARKUS_TLS__BENCH__KEY_STORE_PEM__0__KEY", served.key().toString()).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            assertEquals(0, server.stop());
        }
    }

    @Test
    @Timeout(120)
    void smallItemsOverManyConnections() {
        assertRuns("-c", "20", "-s", "2000", "-g", "2000", "-i", "64", "-q", "tls_small");
    }

    /** Replies of several TLS records, more than the load generator's read buffer holds. */
    @Test
    @Timeout(120)
    void largeItemsInterleaved() {
        assertRuns("-c", "2", "-s", "40", "-g", "40", "-i", "200000", "-m", "interleaved", "-q", "tls_large");
    }

    private static void assertRuns(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String[] all = new String[args.length + 4];
        all[0] = "-p";
        all[1] = Integer.toString(server.port());
        all[2] = "--tls";
        all[3] = authority.cert().toString();
        System.arraycopy(args, 0, all, 4, args.length);
        int status = LoadGen.run(all, out, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertEquals(0, status, printed);
        assertTrue(printed.contains("errors=0"), printed);
    }
}
