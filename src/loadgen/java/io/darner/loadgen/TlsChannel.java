package io.darner.loadgen;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/**
 * TLS over one connection's non-blocking socket ({@code --tls}): the handshake in steps that the
 * selector drives, then requests encrypted on their way out and replies decrypted on their way in,
 * with the JDK's {@link SSLEngine}. On the connection's event loop thread only.
 */
final class TlsChannel {
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Encrypted bytes to write, in read mode (empty: flushed). */
    private final ByteBuffer netOut;
    /** Encrypted bytes read and not yet decrypted, in write mode. */
    private final ByteBuffer netIn;
    /** Where the handshake puts application data (there is none before the first request). */
    private final ByteBuffer handshakeData;
    private boolean started;
    /** The last unwrap stopped for want of bytes from the network. */
    private boolean starved;
    private boolean eof;

    TlsChannel(SocketChannel channel, SSLContext context, String host, int port) {
        this.channel = channel;
        this.engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        engine.setSSLParameters(params);
        int packet = engine.getSession().getPacketBufferSize();
        netOut = ByteBuffer.allocateDirect(packet).flip();
        netIn = ByteBuffer.allocateDirect(packet);
        handshakeData = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** A context that trusts the authority whose certificate is the PEM file {@code authority}. */
    static SSLContext trusting(Path authority) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(authority)) {
            trust.setCertificateEntry("authority", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Advances the handshake as far as the network allows; true once it is done. */
    boolean handshake() throws IOException {
        if (!started) {
            engine.beginHandshake();
            started = true;
        }
        while (flush()) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(NOTHING);
                case NEED_TASK -> runTasks();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    handshakeData.clear();
                    unwrap(handshakeData);
                    if (eof) {
                        throw new EOFException("the server closed the connection during the TLS handshake");
                    }
                    if (starved && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                        return false; // waits for the server
                    }
                }
                default -> {
                    return true;
                }
            }
        }
        return false; // waits until the socket takes the rest
    }

    /** Whether encrypted bytes wait to be written: the selector should report writability. */
    boolean wantsWrite() {
        return netOut.hasRemaining();
    }

    /** Encrypts and writes what the socket takes of {@code srcs}. */
    void write(ByteBuffer[] srcs) throws IOException {
        while (flush() && srcs[srcs.length - 1].hasRemaining()) {
            wrap(srcs);
        }
    }

    /** Whether everything given to {@link #write} is on its way. */
    boolean flushed() {
        return !netOut.hasRemaining();
    }

    /**
     * Reads and decrypts into {@code dst} (in write mode) what has arrived; returns the bytes
     * decrypted (0: only part of a record so far), or -1 once the server closed the connection.
     */
    int read(ByteBuffer dst) throws IOException {
        int produced = unwrap(dst);
        return produced == 0 && (eof || engine.isInboundDone()) ? -1 : produced;
    }

    /** Whether whole records wait that did not fit into the last {@link #read}'s buffer. */
    boolean hasBufferedInput() {
        return netIn.position() > 0;
    }

    /** Decrypts records into {@code dst}, reading the socket as they run out; returns the bytes decrypted. */
    private int unwrap(ByteBuffer dst) throws IOException {
        int produced = 0;
        starved = false;
        while (true) {
            netIn.flip();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, dst);
            } finally {
                netIn.compact();
            }
            produced += result.bytesProduced();
            switch (result.getStatus()) {
                case OK -> {
                    if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        return produced; // the handshake (or a key update) has something to send first
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    int n = channel.read(netIn);
                    if (n < 0) {
                        eof = true;
                        return produced;
                    }
                    if (n == 0) {
                        starved = true;
                        return produced;
                    }
                }
                case BUFFER_OVERFLOW -> {
                    return produced; // the rest waits in netIn: hasBufferedInput
                }
                case CLOSED -> {
                    return produced;
                }
            }
        }
    }

    private void wrap(ByteBuffer[] srcs) throws SSLException {
        netOut.compact();
        try {
            SSLEngineResult result = engine.wrap(srcs, netOut);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS session was closed");
            }
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            }
        } finally {
            netOut.flip();
        }
    }

    /** Writes pending encrypted bytes; true if none are left. */
    private boolean flush() throws IOException {
        if (netOut.hasRemaining()) {
            channel.write(netOut);
        }
        return !netOut.hasRemaining();
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }
}
