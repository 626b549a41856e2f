package io.darner.storage;

import org.fusesource.leveldbjni.internal.NativeDB;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.impl.Iq80DBFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The LevelDB implementation that opens the store, and why it was chosen: the native LevelDB 1.8
 * (leveldbjni) wherever its library loads (x86-64 and aarch64 Linux, 32-bit x86 Linux, Intel macOS,
 * Windows), the pure-Java port (iq80 leveldb 0.12) elsewhere. Both read and write the same files.
 *
 * <p>What the Java port does differently (docs/reliability.md, Store engines): it checks the
 * checksums of its write-ahead log's records but not those of table blocks (iq80 0.12 leaves that
 * check out), so a block damaged on disk is not reported as such; it has no repair of its own
 * ({@link StoreRebuild} then copies what can be read without it); it compacts no key range on
 * request (its background compaction still runs); and it answers no property, so
 * {@link QueueStore#behindOnCompaction()} is always false with it (it slows writes itself past 8
 * level-0 tables).
 *
 * <p>The Java port keeps the very arrays a put or a write batch is given (its memtable refers to
 * them) where the native one copies them: a key or value array must never be changed after it was
 * written.
 */
public final class StoreEngine {
    /** The two implementations; {@link #word()} is the name in settings, stats and logs. */
    public enum Kind {
        NATIVE, JAVA;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String setting;
    private final String reason;

    private StoreEngine(Kind kind, String setting, String reason) {
        this.kind = kind;
        this.setting = setting;
        this.reason = reason;
    }

    /** The native LevelDB when its library loads, the Java port otherwise. */
    public static StoreEngine auto() {
        String failure = NativeLibrary.FAILURE;
        if (failure == null) {
            return new StoreEngine(Kind.NATIVE, "auto", "darner.store-engine=auto and the native library loaded ("
                    + NativeLibrary.describe() + ")");
        }
        return new StoreEngine(Kind.JAVA, "auto", "darner.store-engine=auto and no native LevelDB library loads on "
                + platform() + ": " + failure);
    }

    /** The native LevelDB; a {@link StoreException} saying why when its library does not load. */
    public static StoreEngine nativeOnly() {
        String failure = NativeLibrary.FAILURE;
        if (failure != null) {
            throw new StoreException("darner.store-engine=native, and no native LevelDB library loads on "
                    + platform() + ": " + failure + " (darner.store-engine=auto or java runs the Java port)");
        }
        return new StoreEngine(Kind.NATIVE, "native", "darner.store-engine=native (" + NativeLibrary.describe() + ")");
    }

    /** The Java port, whatever the platform. */
    public static StoreEngine javaOnly() {
        return new StoreEngine(Kind.JAVA, "java", "darner.store-engine=java");
    }

    public Kind kind() {
        return kind;
    }

    /** The darner.store-engine value that chose it: auto, native or java. */
    public String setting() {
        return setting;
    }

    /** A sentence: the setting, and for {@code auto} what the loading of the native library found. */
    public String reason() {
        return reason;
    }

    /** A line for the log: which engine and why. */
    public String describe() {
        return (kind == Kind.NATIVE ? "native LevelDB 1.8 (leveldbjni)" : "pure-Java LevelDB port (iq80 leveldb "
                + Iq80DBFactory.VERSION + ")") + ": " + reason;
    }

    /** Options every store of this engine starts from (the Java port takes its checksum setting from here). */
    Options options() {
        return new Options().verifyChecksums(true);
    }

    DB open(Path dir, Options options) throws IOException {
        return factory().open(dir.toFile(), options);
    }

    /** Whether {@link #repair} rebuilds a lost manifest (LevelDB's RepairDB); the Java port has none. */
    boolean repairs() {
        return kind == Kind.NATIVE;
    }

    void repair(Path dir, Options options) throws IOException {
        factory().repair(dir.toFile(), options);
    }

    private DBFactory factory() {
        // named here only, so that the Java engine never initialises (and so never loads) the native library
        return kind == Kind.NATIVE ? org.fusesource.leveldbjni.JniDBFactory.factory : Iq80DBFactory.factory;
    }

    private static String platform() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    @Override
    public String toString() {
        return kind.word();
    }

    /** The loading of leveldbjni's library, tried once, when an engine is first chosen. */
    private static final class NativeLibrary {
        /** Why the library did not load, or null when it did. */
        static final String FAILURE = load();

        private static String load() {
            try {
                NativeDB.LIBRARY.load();
                return null;
            } catch (LinkageError e) {
                return String.valueOf(e.getMessage());
            }
        }

        /**
         * The library that loaded: the first of the places leveldbjni looks in that holds one (an
         * architecture's own directory, then the platform's; see hawtjni's Library), unless a path
         * was given it.
         */
        static String describe() {
            String given = System.getProperty("library.leveldbjni.path");
            if (given != null) {
                return "from library.leveldbjni.path " + given;
            }
            List<String> places = List.of(NativeDB.LIBRARY.getArchSpecifcResourcePath(),
                    NativeDB.LIBRARY.getPlatformSpecifcResourcePath(), NativeDB.LIBRARY.getOperatingSystemSpecifcResourcePath());
            for (String place : places) {
                if (NativeDB.class.getClassLoader().getResource(place) != null) {
                    return place + " for " + platform();
                }
            }
            return "from java.library.path, for " + platform();
        }
    }
}
