package io.darner.config;

/** Whether the queue port asks TLS clients for a certificate ({@code darner.tls-client-auth}). */
public enum TlsClientAuth {
    /** No client certificate asked for. */
    NONE,
    /** Asked for; a client without one is served, one with a certificate the trust store does not vouch for is refused. */
    REQUEST,
    /** Required: a client without a certificate from the trust store is refused at the handshake. */
    REQUIRED
}
