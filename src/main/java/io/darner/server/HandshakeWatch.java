package io.darner.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.util.List;
import java.util.Set;

/**
 * The JDK's TLS engine, as Vert.x uses it by default, with every server handshake watched: a
 * failure goes to the {@link HandshakeFailureLog} with the client's address. Vert.x reports failed
 * handshakes to a server's exception handler without the address, so the hook sits where the
 * handshake's {@link SslHandler} is made, which knows the peer.
 */
final class HandshakeWatch extends JdkSSLEngineOptions {
    private final HandshakeFailureLog log;

    HandshakeWatch(HandshakeFailureLog log) {
        this.log = log;
    }

    @Override
    public HandshakeWatch copy() {
        return new HandshakeWatch(log);
    }

    @Override
    public SslContextFactory sslContextFactory() {
        return new WatchingFactory(super.sslContextFactory());
    }

    /** Vert.x's factory, its contexts wrapped. */
    private final class WatchingFactory implements SslContextFactory {
        private final SslContextFactory factory;

        WatchingFactory(SslContextFactory factory) {
            this.factory = factory;
        }

        @Override
        public SslContextFactory useAlpn(boolean useAlpn) {
            factory.useAlpn(useAlpn);
            return this;
        }

        @Override
        public SslContextFactory clientAuth(ClientAuth clientAuth) {
            factory.clientAuth(clientAuth);
            return this;
        }

        @Override
        public SslContextFactory forClient(boolean forClient) {
            factory.forClient(forClient);
            return this;
        }

        @Override
        public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
            factory.keyMananagerFactory(kmf);
            return this;
        }

        @Override
        public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
            factory.trustManagerFactory(tmf);
            return this;
        }

        @Override
        public SslContextFactory enabledCipherSuites(Set<String> enabledCipherSuites) {
            factory.enabledCipherSuites(enabledCipherSuites);
            return this;
        }

        @Override
        public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
            factory.applicationProtocols(applicationProtocols);
            return this;
        }

        @Override
        public SslContextFactory serverName(String serverName) {
            factory.serverName(serverName);
            return this;
        }

        @Override
        public SslContext create() throws SSLException {
            return new WatchedContext(factory.create());
        }
    }

    /** A context whose handlers report a failed handshake with the peer's address. */
    private final class WatchedContext extends DelegatingSslContext {
        WatchedContext(SslContext context) {
            super(context);
        }

        @Override
        protected void initEngine(SSLEngine engine) {
            // the engine is Vert.x's to configure (protocols), after this
        }

        @Override
        protected void initHandler(SslHandler handler) {
            super.initHandler(handler);
            SSLEngine engine = handler.engine();
            handler.handshakeFuture().addListener(done -> {
                if (!done.isSuccess()) {
                    String peer = engine.getPeerHost();
                    log.failed(peer == null ? "an unknown address" : peer, done.cause());
                }
            });
        }
    }
}
