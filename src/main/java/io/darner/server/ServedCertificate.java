package io.darner.server;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;

/**
 * The certificate a TLS registry entry serves (the first key entry of its key store), and whether
 * it is valid now: an expired certificate is refused at start and at a reload, where clients would
 * otherwise refuse every handshake without the server saying why.
 */
record ServedCertificate(String subject, Instant notBefore, Instant notAfter) {

    /** The certificate of the first key entry of {@code keyStore}, if it has one. */
    static Optional<ServedCertificate> of(KeyStore keyStore) throws KeyStoreException {
        if (keyStore == null) {
            return Optional.empty();
        }
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate c) {
                return Optional.of(new ServedCertificate(c.getSubjectX500Principal().getName(),
                        c.getNotBefore().toInstant(), c.getNotAfter().toInstant()));
            }
        }
        return Optional.empty();
    }

    /** Why the certificate cannot be served at {@code now}, or null if it can. */
    String problemAt(Instant now) {
        if (now.isAfter(notAfter)) {
            return "the certificate " + subject + " expired at " + notAfter + ": renew it";
        }
        if (now.isBefore(notBefore)) {
            return "the certificate " + subject + " is not valid before " + notBefore + " (is the clock right?)";
        }
        return null;
    }

    @Override
    public String toString() {
        return subject + ", valid until " + notAfter;
    }
}
