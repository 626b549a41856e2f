package io.darner.tls;

import io.darner.testing.ServerProcess;
import io.darner.testing.TestCertificates;

import java.nio.file.Path;

/**
 * A packaged server with TLS on its queue port, configured as a container would be: through the
 * environment, the TLS registry's entry {@value #ENTRY} named by {@code darner.tls-configuration-name}.
 */
final class TlsServer {
    static final String ENTRY = "queue";
    /** The registry entry's settings as environment variables (a quoted map key is {@code __KEY__}). */
    static final String PREFIX = "QUARKUS_TLS__" + ENTRY.toUpperCase() + "__";

    private TlsServer() {
    }

    /** A server serving {@code served}; {@code authority} (null: none) is the trust store for client certificates. */
    static ServerProcess.Options options(Path dataDir, TestCertificates.Pem served, Path authority) {
        ServerProcess.Options options = new ServerProcess.Options(dataDir)
                .env("DARNER_TLS_CONFIGURATION_NAME", ENTRY)
                .env(PREFIX + "KEY_STORE_PEM__0__CERT", served.cert().toString())
                .env(PREFIX + "KEY_STORE_PEM__0__KEY", served.key().toString());
        if (authority != null) {
            options.env(PREFIX + "TRUST_STORE_PEM_CERTS", authority.toString());
        }
        return options;
    }
}
