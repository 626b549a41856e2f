package io.darner.testing;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Java's own TLS client ({@link SSLSocket}) for tests: trusts one authority's certificate, checks
 * that the server's certificate names the host it connected to, and shows a client certificate
 * when given one.
 */
public final class TlsClient {
    private final SSLContext context;

    /** A client that trusts {@code authority} and shows {@code clientCertificate} (null: none). */
    public TlsClient(Path authority, TestCertificates.Pem clientCertificate) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("authority", certificate(authority));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManager[] keys = clientCertificate == null ? null : new KeyManager[] {new AlwaysShown(
                certificate(clientCertificate.cert()), privateKey(clientCertificate.key()))};
        context = SSLContext.getInstance("TLS");
        context.init(keys, tmf.getTrustManagers(), null);
    }

    /** A connected socket, its handshake done (as far as the client can tell: under TLS 1.3 the server may still refuse it). */
    public SSLSocket connect(int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name 127.0.0.1
        socket.setSSLParameters(params);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000); // a server's first handshake loads much of the JDK's crypto; the machine may be busy
        socket.startHandshake();
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A memcache client over a new TLS connection. */
    public MemcacheClient memcache(int port) throws IOException {
        return new MemcacheClient(connect(port));
    }

    /** The serial number of the certificate the server showed on {@code socket}. */
    public static java.math.BigInteger serverSerial(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /**
     * The client certificate, shown whatever authorities the server names (the JDK's own key
     * manager shows none the server's authorities did not sign, and a test of a certificate from
     * another authority must send one).
     */
    private static final class AlwaysShown extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final X509Certificate certificate;
        private final PrivateKey key;

        AlwaysShown(X509Certificate certificate, PrivateKey key) {
            this.certificate = certificate;
            this.key = key;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {certificate};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }

    public static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
