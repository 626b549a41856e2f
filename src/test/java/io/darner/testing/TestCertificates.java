package io.darner.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Throw-away certificates for TLS tests, made with {@code openssl} (and the JDK's {@code keytool})
 * in a test's temporary directory when it runs: EC P-256 keys, valid for two days. Nothing of this
 * is kept or committed.
 */
public final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);

    private TestCertificates() {
    }

    /** A PEM certificate and its unencrypted PKCS#8 key. */
    public record Pem(Path cert, Path key) {}

    /** A certificate authority: its certificate signs the ones it {@link #issue issues}. */
    public record Authority(Pem pem, Path dir) {
        public Path cert() {
            return pem.cert();
        }

        /**
         * A certificate for {@code localhost} and {@code 127.0.0.1}, good for a server and a client,
         * as {@code <name>.crt} and {@code <name>.key}, each with a serial number of its own.
         */
        public Pem issue(String name) throws IOException, InterruptedException {
            Path key = dir.resolve(name + ".key");
            Path csr = dir.resolve(name + ".csr");
            Path cert = dir.resolve(name + ".crt");
            Path ext = dir.resolve(name + ".ext");
            Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                    + "extendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n");
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                    "-out", csr.toString(), "-subj", "/CN=" + name);
            openssl("x509", "-req", "-in", csr.toString(), "-CA", pem.cert().toString(), "-CAkey", pem.key().toString(),
                    "-set_serial", Long.toString(SERIALS.incrementAndGet()), "-days", "2", "-out", cert.toString(),
                    "-extfile", ext.toString());
            return new Pem(cert, key);
        }
    }

    /** A new authority named {@code name}, its files in {@code dir}. Skips the test where openssl is missing. */
    public static Authority authority(Path dir, String name) throws IOException, InterruptedException {
        assumeTrue(Executables.onPath("openssl").isPresent(), "no openssl");
        Files.createDirectories(dir);
        Path key = dir.resolve(name + "-ca.key");
        Path cert = dir.resolve(name + "-ca.crt");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name + " test authority");
        return new Authority(new Pem(cert, key), dir);
    }

    /**
     * A PKCS#12 key store {@code store} (password {@code password}) whose one key's self-signed
     * certificate expired yesterday.
     */
    public static void expiredKeyStore(Path store, String password) throws IOException, InterruptedException {
        Executables.Result r = Executables.run(List.of("keytool", "-genkeypair", "-alias", "expired", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=expired", "-startdate", "-3d", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password), Map.of(), 60);
        if (!r.ok()) {
            throw new AssertionError("keytool: " + r);
        }
    }

    /** Replaces {@code target}'s files with {@code source}'s, each by an atomic rename, the key first. */
    public static void replace(Pem target, Pem source) throws IOException {
        for (Path[] pair : new Path[][] {{source.key(), target.key()}, {source.cert(), target.cert()}}) {
            Path tmp = pair[1].resolveSibling(pair[1].getFileName() + ".new");
            Files.copy(pair[0], tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, pair[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Executables.Result r = Executables.run(command, Map.of(), 60);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + ": " + r);
        }
    }
}
