package io.darner.storage;

import org.iq80.leveldb.DB;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Damages a closed store on disk the ways a failing disk or a careless operator does: garbage over
 * part of a table file, a table file cut short, a lost {@code CURRENT} file.
 */
public final class StoreDamage {
    private StoreDamage() {}

    /**
     * Compacts the whole closed store, so every key lives in a table file of a level above 0 and
     * the tables cover disjoint key ranges in the order of their file numbers. With the native
     * engine whatever engine wrote the store: the Java one compacts no range on request.
     */
    public static void compact(Path dir) {
        StoreEngine engine = StoreEngine.nativeOnly();
        try (DB db = engine.open(dir, engine.options().createIfMissing(false))) {
            db.compactRange(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table files of the store, in file-number order (after {@link #compact}: key order). */
    public static List<Path> tables(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".sst") || f.toString().endsWith(".ldb"))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code length} bytes of garbage over the file at its middle. */
    public static void scribble(Path file, int length) {
        scribble(file, -1, length);
    }

    /** Overwrites {@code length} bytes from {@code at} (-1: the middle of the file) with 0xAB. */
    public static void scribble(Path file, long at, int length) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] garbage = new byte[length];
            Arrays.fill(garbage, (byte) 0xAB);
            f.seek(at < 0 ? f.length() / 2 : at);
            f.write(garbage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Overwrites {@code length} bytes in the middle of the data of one item stored in {@code table}, the
     * first found from the file's middle on: damage inside a block's contents, never over a block
     * trailer or index (whose damage LevelDB treats otherwise), whatever the record layout. The items'
     * data must start with their index {@code i} (a big-endian int) and be stored as they are
     * (incompressible); {@code itemOf} makes item {@code i}'s data.
     */
    public static void scribbleInsideAnItem(Path table, IntFunction<byte[]> itemOf, int items, int length) {
        try {
            byte[] file = Files.readAllBytes(table);
            ByteBuffer bytes = ByteBuffer.wrap(file);
            for (int at = file.length / 2; at + 32 <= file.length; at++) {
                int i = bytes.getInt(at);
                if (i < 0 || i >= items) {
                    continue;
                }
                byte[] data = itemOf.apply(i);
                if (at + data.length <= file.length && Arrays.equals(file, at, at + 32, data, 0, 32)) {
                    scribble(table, at + data.length / 2 - length / 2, length);
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no item's data found in the second half of " + table);
    }

    /** Cuts the file to half its length, as a disk that lost its tail. */
    public static void truncate(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the {@code CURRENT} file, which names the live manifest. */
    public static void loseCurrent(Path dir) {
        try {
            Files.delete(dir.resolve("CURRENT"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the clean-stop marker of a closed store, so that its next open recounts every queue as after a kill. */
    public static void forgetCleanStop(Path dir) {
        try (DB db = TestEngine.chosen().open(dir, TestEngine.chosen().options().createIfMissing(false))) {
            db.delete(Keys.META_CLEAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a closed store's directory (the tests damage the copy). */
    public static Path copy(Path dir, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
