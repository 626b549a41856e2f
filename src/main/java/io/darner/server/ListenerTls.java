package io.darner.server;

import io.darner.config.DarnerConfig;
import io.darner.config.TlsClientAuth;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.quarkus.tls.runtime.config.TlsConfigUtils;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Optional;

/**
 * TLS on the queue port: the entry of Quarkus's TLS registry that {@code darner.tls-configuration-name}
 * names, checked at start, set on the listener's options, and swapped in for new connections when
 * the registry reloads it with a new certificate or trust store (open connections carry on with
 * the session they began with).
 */
@Singleton
public class ListenerTls {
    private static final Logger LOG = Logger.getLogger(ListenerTls.class);
    static final String NAME_KEY = "darner.tls-configuration-name";
    static final String CLIENT_AUTH_KEY = "darner.tls-client-auth";
    private static final long HANDSHAKE_LOG_PERIOD_MS = 60_000;

    private final Optional<String> name;
    private final TlsClientAuth clientAuth;
    private final TlsConfigurationRegistry registry;
    private final HandshakeFailureLog handshakeFailures = new HandshakeFailureLog(HANDSHAKE_LOG_PERIOD_MS,
            System::currentTimeMillis);
    private final RotatingCredentials credentials = new RotatingCredentials();
    private final Vertx vertx;
    private volatile ServedCertificate served;
    /** The certificates in use, key store's and trust store's: a reload that changed none changes nothing. */
    private volatile String fingerprint;

    public ListenerTls(DarnerConfig config, TlsConfigurationRegistry registry, Vertx vertx) {
        this.vertx = vertx;
        this.name = config.tlsConfigurationName().map(String::trim).filter(n -> !n.isEmpty());
        this.clientAuth = config.tlsClientAuth();
        this.registry = registry;
    }

    /**
     * Checks the settings before the listener starts; throws, naming the setting to fix, if the
     * registry has no such entry, the entry has no key, its certificate is not valid now, or client
     * certificates are asked for without a trust store to check them.
     */
    void check() {
        if (name.isEmpty()) {
            if (clientAuth != TlsClientAuth.NONE) {
                throw new ConfigurationException(CLIENT_AUTH_KEY + "=" + word(clientAuth) + " needs TLS: set "
                        + NAME_KEY + " to an entry of the TLS registry (quarkus.tls.<name>.*)");
            }
            return;
        }
        TlsConfiguration tls = entry();
        ServedCertificate certificate = certificateOf(tls);
        String problem = certificate.problemAt(Instant.now());
        if (problem != null) {
            throw new ConfigurationException(prefix() + ".key-store: " + problem);
        }
        if (clientAuth != TlsClientAuth.NONE && tls.getTrustStoreOptions() == null) {
            throw new ConfigurationException(CLIENT_AUTH_KEY + "=" + word(clientAuth) + " needs a trust store to check "
                    + "the clients' certificates: set " + prefix() + ".trust-store.* (PEM: " + prefix()
                    + ".trust-store.pem.certs=<the authority's certificate>)");
        }
        try {
            credentials.use(tls, vertx);
        } catch (Exception e) {
            throw new ConfigurationException(prefix() + " cannot be used: " + e.getMessage(), e);
        }
        served = certificate;
        fingerprint = fingerprint(tls);
    }

    /** Sets TLS on the listener's options, if it is on. */
    void configure(NetServerOptions options) {
        if (name.isEmpty()) {
            return;
        }
        TlsConfigUtils.configure(options, entry()); // protocols, cipher suites, revocation lists, handshake timeout
        options.setKeyCertOptions(credentials.keyCertOptions()).setTrustOptions(credentials.trustOptions())
                .setUseAlpn(false) // the memcache protocol negotiates nothing
                .setSslEngineOptions(new HandshakeWatch(handshakeFailures))
                .setClientAuth(switch (clientAuth) {
                    case NONE -> ClientAuth.NONE;
                    case REQUEST -> ClientAuth.REQUEST;
                    case REQUIRED -> ClientAuth.REQUIRED;
                });
    }

    /** What the start-up log line says about TLS. */
    String describe() {
        if (name.isEmpty()) {
            return "";
        }
        return " over TLS (" + prefix() + ", client certificates " + switch (clientAuth) {
            case NONE -> "not asked for";
            case REQUEST -> "requested";
            case REQUIRED -> "required";
        } + "; serving " + served + ")";
    }

    /**
     * The registry reloaded an entry (every {@code reload-period}, or when an application fires the
     * event after {@link TlsConfiguration#reload()}): if it is ours and holds new certificates, and
     * the one to serve is valid, new handshakes use them from now on. An expired or unreadable one
     * is refused, and what was served until then stays.
     */
    void onCertificateUpdated(@Observes CertificateUpdatedEvent event) {
        if (name.isEmpty() || !name.get().equals(event.name()) || served == null) {
            return;
        }
        TlsConfiguration tls = event.tlsConfiguration();
        String next = fingerprint(tls);
        if (next.equals(fingerprint)) {
            return;
        }
        try {
            ServedCertificate certificate = certificateOf(tls);
            String problem = certificate.problemAt(Instant.now());
            if (problem != null) {
                throw new ConfigurationException(problem);
            }
            credentials.use(tls, vertx);
            served = certificate;
            fingerprint = next;
            LOG.infof("%s reloaded: new connections get %s; open connections carry on", prefix(), certificate);
        } catch (Exception e) {
            LOG.errorf("%s was reloaded, but %s; new connections still get %s", prefix(), e.getMessage(), served);
        }
    }

    /** A digest of the certificates of the entry's key store and trust store. */
    private static String fingerprint(TlsConfiguration tls) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (KeyStore store : new KeyStore[] {tls.getKeyStore(), tls.getTrustStore()}) {
                if (store == null) {
                    continue;
                }
                for (String alias : Collections.list(store.aliases())) {
                    Certificate[] chain = store.isKeyEntry(alias) ? store.getCertificateChain(alias)
                            : new Certificate[] {store.getCertificate(alias)};
                    for (Certificate c : chain == null ? new Certificate[0] : chain) {
                        digest.update(c.getEncoded());
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            return "unreadable: " + e; // differs from any digest: the reload is tried, and reports the problem
        }
    }

    private TlsConfiguration entry() {
        return registry.get(name.get()).orElseThrow(() -> new ConfigurationException(NAME_KEY + "=" + name.get()
                + " names no entry of the TLS registry: configure " + prefix() + ".key-store.* (PEM: " + prefix()
                + ".key-store.pem.0.cert and " + prefix() + ".key-store.pem.0.key), or correct the name"));
    }

    private ServedCertificate certificateOf(TlsConfiguration tls) {
        try {
            return ServedCertificate.of(tls.getKeyStore()).orElseThrow(() -> new ConfigurationException(prefix()
                    + " has no key and certificate to serve: set " + prefix() + ".key-store.* (PEM: " + prefix()
                    + ".key-store.pem.0.cert and .key; PKCS12: " + prefix() + ".key-store.p12.path and .password)"));
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(prefix() + ".key-store cannot be read: " + e.getMessage(), e);
        }
    }

    private String prefix() {
        return "quarkus.tls." + name.orElse("<name>");
    }

    private static String word(TlsClientAuth auth) {
        return auth.name().toLowerCase(java.util.Locale.ROOT);
    }
}
