package io.darner.tls;

import io.darner.testing.Executables;
import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import io.darner.testing.TestCertificates;
import io.darner.testing.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pod hooks of {@code deploy/hooks} with the {@code deploy/tls} component's environment: they
 * talk to a mutual-TLS server with the pod's own certificate (tls.crt, tls.key, ca.crt in
 * {@code DARNER_TLS_DIR}, as the Secret is mounted), and a stop and start keep the status.
 */
class TlsHooksIT {
    private static final Path HOOKS = Path.of("deploy/hooks");

    @TempDir
    Path dir;
    private ServerProcess server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    @Test
    @Timeout(180)
    void theHooksDrainAndRestoreAMutualTlsServer() throws Exception {
        TestCertificates.Authority authority = TestCertificates.authority(dir.resolve("ca"), "darner");
        Path secret = Files.createDirectories(dir.resolve("secret"));
        TestCertificates.Pem issued = authority.issue("darner-0");
        TestCertificates.Pem mounted = new TestCertificates.Pem(secret.resolve("tls.crt"), secret.resolve("tls.key"));
        Files.copy(issued.cert(), mounted.cert());
        Files.copy(issued.key(), mounted.key());
        Files.copy(authority.cert(), secret.resolve("ca.crt"));
        Path data = dir.resolve("data");
        ServerProcess.Options options = TlsServer.options(data, mounted, secret.resolve("ca.crt"))
                .env("DARNER_TLS_CLIENT_AUTH", "required");
        TlsClient client = new TlsClient(authority.cert(), mounted);

        server = options.start();
        assertEquals("END", call(client, "status readonly"));
        assertHookSucceeds("pre-stop.sh", secret, data);
        assertEquals("quiescent", call(client, "status"), "the preStop set quiescent over TLS");
        assertEquals(0, server.stop());

        server = options.start();
        assertHookSucceeds("post-start.sh", secret, data);
        assertEquals("readonly", call(client, "status"), "the postStart put back the status over TLS");
        assertEquals(0, server.stop());
    }

    private String call(TlsClient client, String line) throws IOException {
        try (MemcacheClient c = client.memcache(server.port())) {
            return c.call(line);
        }
    }

    private void assertHookSucceeds(String script, Path secret, Path data) throws IOException, InterruptedException {
        Map<String, String> env = Map.of("DARNER_PORT", Integer.toString(server.port()), "DARNER_DATA_DIR", data.toString(),
                "DARNER_DRAIN_SECONDS", "0", "DARNER_START_SECONDS", "30",
                "DARNER_TLS_CONFIGURATION_NAME", TlsServer.ENTRY, "DARNER_TLS_DIR", secret.toString());
        Executables.Result result = Executables.run(List.of("bash", HOOKS.resolve(script).toString()), env, 60);
        assertTrue(result.ok(), script + ": " + result);
    }
}
