package io.darner.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A store whose creation a power cut interrupted. LevelDB 1.8 creates a store by writing its first
 * manifest without an fsync and pointing {@code CURRENT} at it (also without), then writes a second
 * manifest at the open; a cut before that second manifest's fsync can leave a {@code CURRENT} that
 * is empty or names an empty manifest, and no manifest with anything in it, so
 * {@link CurrentFile#mend} has nothing to name and LevelDB refuses to open ("CURRENT file does not
 * end with newline"). Nothing was ever written to such a store: the server listens only after the
 * open, and every write goes to a log. So where no manifest, table or log holds a byte, LevelDB's
 * files are removed and the store is created again.
 */
final class UnfinishedStore {
    private static final Logger LOG = Logger.getLogger(UnfinishedStore.class);

    private UnfinishedStore() {}

    /** Removes the files of a store whose creation never finished; returns whether it did. */
    static boolean clear(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> isLevelDbFile(name(f))).toList();
        }
        if (files.isEmpty() || files.stream().anyMatch(f -> StoreFiles.isTable(name(f)))) {
            return false;
        }
        for (Path f : files) {
            if (holdsData(name(f)) && !allZero(f)) {
                return false; // something was written: the open decides, and says to repair if it must
            }
        }
        for (Path f : files) {
            Files.delete(f);
        }
        StoreFiles.fsync(dir);
        LOG.warnf("the store was being created when its last start was cut short (a power cut), and its files (%s) "
                + "held nothing: it is created again", String.join(", ", files.stream().map(UnfinishedStore::name).sorted().toList()));
        return true;
    }

    private static boolean isLevelDbFile(String name) {
        return name.equals("CURRENT") || name.endsWith(".dbtmp") || holdsData(name) || StoreFiles.isTable(name);
    }

    private static boolean holdsData(String name) {
        return name.startsWith("MANIFEST-") || name.endsWith(".log");
    }

    /** Whether the file is empty or only zeros (what an unsynced, memory-mapped write can leave). */
    private static boolean allZero(Path f) throws IOException {
        byte[] buffer = new byte[8192];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static String name(Path f) {
        return String.valueOf(f.getFileName());
    }
}
