package io.darner.config;

import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every server-wide setting checked in one place, before anything starts: each bad one gives one
 * line {@code key=value: what is allowed}. (The per-queue settings are checked by the queue layer's
 * policies.) Values are shown as written, from {@code raw}, where the typed mapping would show them
 * converted ({@code maybe} read as {@code false}).
 */
public final class SettingsCheck {
    private static final long MAX_INT = Integer.MAX_VALUE;
    /** The words SmallRye reads as booleans; anything else it would read as false with only a warning. */
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no", "y", "n", "on", "off", "1", "0");
    private static final List<String> QUEUE_BOOLEANS = List.of(".discard-old-when-full", ".fanout-only");

    private final Config raw;
    private final List<String> problems = new ArrayList<>();

    private SettingsCheck(Config raw) {
        this.raw = raw;
    }

    /** One line for each bad setting; empty when every setting is good. */
    public static List<String> problems(DarnerConfig darner, AdminConfig admin, MetricsConfig metrics, Config raw) {
        SettingsCheck c = new SettingsCheck(raw);
        c.darner(darner);
        c.admin(admin);
        c.range("darner.metrics.max-queues", metrics.maxQueues(), 0, MAX_INT);
        return List.copyOf(c.problems);
    }

    private void darner(DarnerConfig d) {
        range("darner.port", d.port(), 0, 65535, " (0 picks a free port)");
        host("darner.host", d.host());
        dataDir("darner.data-dir", d.dataDir());
        // a request naming a queue of 250 bytes with options must fit
        range("darner.max-line", d.maxLine(), 512, 65536);
        size("darner.max-item-size", d.maxItemSize(), 1, MAX_INT);
        range("darner.max-connections", d.maxConnections(), 1, MAX_INT);
        range("darner.max-open-reads", d.maxOpenReads(), 1, MAX_INT);
        range("darner.event-loops", d.eventLoopCount(), 1, 1024);
        size("darner.max-output-buffer", d.maxOutputBuffer(), 1, MAX_INT);
        storeEngine("darner.store-engine", d.storeEngine());
        size("darner.store-cache", d.storeCache(), 1, Long.MAX_VALUE);
        d.idleTimeout().ifPresent(t -> positive("darner.idle-timeout", t));
        size("darner.min-free-disk", d.minFreeDisk(), 0, Long.MAX_VALUE);
        positive("darner.shutdown-grace", d.shutdownGrace());
        range("darner.max-queues", d.maxQueues(), 1, MAX_INT);
        bool("darner.shutdown-enabled");
        bool("darner.repair-on-start");
        for (String name : raw.getPropertyNames()) {
            if ((name.startsWith("darner.queues.") || name.startsWith("darner.queue-defaults."))
                    && QUEUE_BOOLEANS.stream().anyMatch(name::endsWith)) {
                bool(name);
            }
        }
    }

    private void admin(AdminConfig a) {
        String token = rawValue("darner.admin.token");
        if (token != null && token.isBlank()) {
            problems.add("darner.admin.token is set but empty: give it a token (openssl rand -hex 24), or remove "
                    + "the setting to accept admin changes only from loopback");
        }
        bool("darner.admin.protect-reads");
        range("darner.admin.max-page-size", a.maxPageSize(), 1, MAX_INT);
        range("darner.admin.max-peek-items", a.maxPeekItems(), 1, MAX_INT);
        size("darner.admin.max-preview-bytes", a.maxPreviewBytes(), 1, MAX_INT);
    }

    private void range(String key, long value, long min, long max) {
        range(key, value, min, max, "");
    }

    private void range(String key, long value, long min, long max, String note) {
        if (value < min || value > max) {
            problem(key, value, max == MAX_INT ? "must be at least " + min + note
                    : "must be from " + min + " to " + max + note);
        }
    }

    private void size(String key, MemorySize value, long min, long max) {
        BigInteger v = value.asBigInteger();
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            String allowed = max == Long.MAX_VALUE ? "must be at least " + min + (min == 1 ? " byte" : " bytes")
                    : "must be from " + min + " byte to " + max + " bytes (2G less one byte)";
            problem(key, value.asBigInteger(), allowed + ", as 64K, 8M or a number of bytes");
        }
    }

    private void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problem(key, value, "must be longer than 0, as 300s, 5m or 500ms");
        }
    }

    private void storeEngine(String key, String value) {
        try {
            StoreEngineSetting.parse(key, value);
        } catch (IllegalArgumentException e) {
            problem(key, value, "must be auto, native or java");
        }
    }

    private void bool(String key) {
        String v = rawValue(key);
        if (v != null && !BOOLEAN_WORDS.contains(v.trim().toLowerCase(Locale.ROOT))) {
            problem(key, v, "must be true or false");
        }
    }

    /**
     * The listener binds to this address: an address of one of this machine's interfaces, a
     * loopback address, or the wildcard; a name is resolved once here.
     */
    private void host(String key, String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            problem(key, host, "not an IP address nor a name that resolves; use an address of this machine "
                    + "(127.0.0.1, 0.0.0.0 for every interface, or one interface's address)");
            return;
        }
        try {
            if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()
                    && NetworkInterface.getByInetAddress(address) == null) {
                problem(key, host, "no interface of this machine has the address " + address.getHostAddress()
                        + "; use 127.0.0.1, 0.0.0.0 for every interface, or one interface's address");
            }
        } catch (SocketException e) {
            // the interfaces cannot be listed: the bind will say whether the address is ours
        }
    }

    /** The store creates its directory; one that cannot be created or written is a setting to fix. */
    private void dataDir(String key, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            problem(key, dir, "is a file, not a directory; name a directory (it is created if missing)");
            return;
        } catch (FileSystemException e) {
            problem(key, dir, "cannot be created: " + reason(e) + " (" + e.getFile() + "); name a directory this user ("
                    + System.getProperty("user.name") + ") may create and write");
            return;
        } catch (IOException | SecurityException e) {
            problem(key, dir, "cannot be created: " + e.getMessage());
            return;
        }
        if (!Files.isWritable(dir)) {
            problem(key, dir, "is not writable by this user (" + System.getProperty("user.name") + ")");
        }
    }

    private static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return e.getClass().getSimpleName();
    }

    private void problem(String key, Object typedValue, String allowed) {
        String shown = rawValue(key);
        problems.add(key + "=" + (shown != null ? shown : typedValue) + ": " + allowed);
    }

    /** The value as written (in a file, a system property or the environment), or null when unset. */
    private String rawValue(String key) {
        ConfigValue v = raw.getConfigValue(key);
        return v == null ? null : v.getRawValue();
    }
}
