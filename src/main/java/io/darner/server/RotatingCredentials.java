package io.darner.server;

import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The listener's key and trust managers, which every handshake asks afresh: a certificate reload
 * swaps what they delegate to, so new connections get the new certificate (and trust) at once and
 * open connections keep the session they have. The listener's TLS context is built once and never
 * rebuilt: Vert.x 4.5's {@code NetServer.updateSSLOptions} drops the connections accepted while a
 * new context is being built (its accept path reads the pending update's result, which is null).
 */
final class RotatingCredentials {
    private final RotatingKeyManager keys = new RotatingKeyManager();
    private final RotatingTrustManager trust = new RotatingTrustManager();

    /** Takes the key and trust managers of {@code tls}; they serve every handshake from now on. */
    void use(TlsConfiguration tls, Vertx vertx) throws Exception {
        X509ExtendedKeyManager nextKeys = first(X509ExtendedKeyManager.class,
                tls.getKeyStoreOptions().getKeyManagerFactory(vertx).getKeyManagers());
        X509TrustManager nextTrust = tls.getTrustStoreOptions() == null ? null
                : first(X509TrustManager.class, tls.getTrustStoreOptions().getTrustManagerFactory(vertx).getTrustManagers());
        keys.delegate = nextKeys;
        trust.delegate = nextTrust;
    }

    KeyCertOptions keyCertOptions() {
        return KeyCertOptions.wrap(keys);
    }

    TrustOptions trustOptions() {
        return TrustOptions.wrap(trust);
    }

    private static <T> T first(Class<T> type, Object[] managers) {
        for (Object m : managers) {
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " among " + java.util.Arrays.toString(managers));
    }

    private static final class RotatingKeyManager extends X509ExtendedKeyManager {
        volatile X509ExtendedKeyManager delegate;

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        // An alias chosen from one delegate may be looked up after a swap: the new delegate then
        // answers for it (the same alias names its entry), or a handshake fails and is retried.
        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    /**
     * Without a trust store (no client certificates asked for) it trusts no one. A plain
     * {@link X509TrustManager}, as the registry's may be: the JDK then adds its own checks
     * (algorithm constraints) around it.
     */
    private static final class RotatingTrustManager implements X509TrustManager {
        volatile X509TrustManager delegate;

        private X509TrustManager delegate() throws CertificateException {
            X509TrustManager d = delegate;
            if (d == null) {
                throw new CertificateException("no trust store configured");
            }
            return d;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509TrustManager d = delegate;
            return d == null ? new X509Certificate[0] : d.getAcceptedIssuers();
        }
    }
}
