package io.darner.tls;

import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import io.darner.testing.TestCertificates;
import io.darner.testing.TlsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutual TLS on the queue port against packaged servers: under {@code darner.tls-client-auth=required}
 * only a client with a certificate from the trust store's authority is served; a client without
 * one, or with one from another authority, is refused at the handshake. Under {@code request} a
 * client without a certificate is served, one with a certificate from another authority is not.
 */
class MutualTlsIT {
    @TempDir
    static Path dir;
    private static TestCertificates.Authority authority;
    private static TestCertificates.Authority stranger;
    private static TestCertificates.Pem clientCert;
    private static TestCertificates.Pem strangerCert;
    private static ServerProcess required;
    private static ServerProcess requested;

    @BeforeAll
    static void start() throws Exception {
        authority = TestCertificates.authority(dir.resolve("certs"), "darner");
        stranger = TestCertificates.authority(dir.resolve("other"), "other");
        TestCertificates.Pem served = authority.issue("server");
        clientCert = authority.issue("client");
        strangerCert = stranger.issue("stranger");
        required = TlsServer.options(dir.resolve("required"), served, authority.cert())
                .env("DARNER_TLS_CLIENT_AUTH", "required").start();
        requested = TlsServer.options(dir.resolve("requested"), served, authority.cert())
                .env("DARNER_TLS_CLIENT_AUTH", "request").start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ServerProcess s : new ServerProcess[] {required, requested}) {
            if (s != null) {
                assertEquals(0, s.stop());
            }
        }
    }

    @Test
    @Timeout(60)
    void aClientWithACertificateFromTheAuthorityIsServed() throws Exception {
        assertEquals(1, required.logLines("client certificates required").size(), required.log());
        for (ServerProcess server : new ServerProcess[] {required, requested}) {
            try (MemcacheClient c = new TlsClient(authority.cert(), clientCert).memcache(server.port())) {
                assertEquals("STORED", c.set("mtls", "with a certificate"));
                assertEquals("with a certificate", c.get("mtls"));
            }
        }
    }

    @Test
    @Timeout(60)
    void requiredRefusesAClientWithoutACertificateOrWithOneFromAnotherAuthority() throws Exception {
        assertRefused(new TlsClient(authority.cert(), null), required);
        assertRefused(new TlsClient(authority.cert(), strangerCert), required);
        String logged = required.awaitLog("TLS handshake with 127.0.0.1 failed", 10_000);
        System.out.println("logged: " + logged);
    }

    @Test
    @Timeout(60)
    void requestServesAClientWithoutACertificateButNotOneFromAnotherAuthority() throws Exception {
        try (MemcacheClient c = new TlsClient(authority.cert(), null).memcache(requested.port())) {
            assertEquals("STORED", c.set("requested", "without a certificate"));
            assertEquals("without a certificate", c.get("requested"));
        }
        assertRefused(new TlsClient(authority.cert(), strangerCert), requested);
    }

    /**
     * The server refuses the handshake. Under TLS 1.3 the client may finish its side before the
     * server has checked its certificate: the refusal then arrives as an alert at the first read.
     */
    private static void assertRefused(TlsClient client, ServerProcess server) {
        try (MemcacheClient c = client.memcache(server.port())) {
            String reply = c.set("mtls-refused", "x");
            fail("served without an acceptable certificate: " + reply);
        } catch (IOException expected) {
            String message = String.valueOf(expected.getMessage());
            assertTrue(expected instanceof javax.net.ssl.SSLException || message.contains("closed")
                    || message.contains("reset") || message.contains("Broken pipe"), "refused: " + expected);
        }
    }
}
