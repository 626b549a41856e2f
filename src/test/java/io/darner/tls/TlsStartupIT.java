package io.darner.tls;

import io.darner.testing.ServerProcess;
import io.darner.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * TLS settings the server cannot serve with: it does not start, and says which setting to fix.
 */
class TlsStartupIT {
    @TempDir
    static Path dir;
    private static TestCertificates.Authority authority;
    private static TestCertificates.Pem served;

    @BeforeAll
    static void certificates() throws Exception {
        authority = TestCertificates.authority(dir.resolve("certs"), "darner");
        served = authority.issue("server");
    }

    @Test
    @Timeout(120)
    void aNameThatMatchesNoRegistryEntry() throws Exception {
        assertFailsSaying(new ServerProcess.Options(dir.resolve("unknown")).env("DARNER_TLS_CONFIGURATION_NAME", "nosuch"),
                "darner.tls-configuration-name=nosuch names no entry of the TLS registry");
    }

    @Test
    @Timeout(120)
    void aMissingKeyFile() throws Exception {
        TestCertificates.Pem missing = new TestCertificates.Pem(served.cert(), dir.resolve("no-such.key"));
        // the registry's own check, before the listener's: it names the entry and the file
        assertFailsSaying(TlsServer.options(dir.resolve("missing"), missing, null),
                "Invalid key/certificate pair configuration for certificate 'queue' - cannot read the key/certificate files",
                "no-such.key");
    }

    @Test
    @Timeout(120)
    void anUnreadableKey() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        TestCertificates.Pem unreadable = new TestCertificates.Pem(served.cert(), garbage);
        assertFailsSaying(TlsServer.options(dir.resolve("unreadable"), unreadable, null),
                "Invalid key/certificate pair configuration for certificate 'queue'");
    }

    @Test
    @Timeout(120)
    void anExpiredCertificate() throws Exception {
        Path store = dir.resolve("expired.p12");
        TestCertificates.expiredKeyStore(store, "secret");
        assertFailsSaying(new ServerProcess.Options(dir.resolve("expired"))
                        .env("DARNER_TLS_CONFIGURATION_NAME", TlsServer.ENTRY)
                        .env(TlsServer.PREFIX + "KEY_STORE_P12_PATH", store.toString())
                        .env(TlsServer.PREFIX + "KEY_STORE_P12_PASSWORD", "secret"),
                "quarkus.tls.queue.key-store: the certificate CN=expired expired at");
    }

    @Test
    @Timeout(120)
    void clientCertificatesWithoutATrustStore() throws Exception {
        assertFailsSaying(TlsServer.options(dir.resolve("notrust"), served, null).env("DARNER_TLS_CLIENT_AUTH", "required"),
                "darner.tls-client-auth=required needs a trust store");
    }

    @Test
    @Timeout(120)
    void clientCertificatesWithoutTls() throws Exception {
        assertFailsSaying(new ServerProcess.Options(dir.resolve("notls")).env("DARNER_TLS_CLIENT_AUTH", "required"),
                "darner.tls-client-auth=required needs TLS");
    }

    private static void assertFailsSaying(ServerProcess.Options options, String... messages) throws Exception {
        ServerProcess failed = options.startAndExpectExit();
        assertNotEquals(0, failed.exitValue());
        for (String message : messages) {
            System.out.println("start refused: " + failed.logLines(message));
            assertFalse(failed.logLines(message).isEmpty(), "expected a line with: " + message + "\n" + failed.log());
        }
    }
}
