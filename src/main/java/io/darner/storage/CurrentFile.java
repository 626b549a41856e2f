package io.darner.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * LevelDB's {@code CURRENT} file, which names the manifest in use. LevelDB 1.8 writes a new
 * manifest at every open, fsyncs it, then replaces {@code CURRENT} (a temporary file renamed over
 * it) without fsyncing the directory, and cuts the new file's mapped 64 KiB to its length after its
 * fsync: a power cut in the seconds after a start can leave a {@code CURRENT} that is empty or ends
 * in zeros, and the store would not open again ("CURRENT file does not end with newline"). It is
 * mended before the open, and made durable after it.
 */
final class CurrentFile {
    private static final Logger LOG = Logger.getLogger(CurrentFile.class);
    private static final String NAME = "CURRENT";
    private static final Pattern MANIFEST = Pattern.compile("MANIFEST-(\\d+)");

    private CurrentFile() {}

    /**
     * Mends a {@code CURRENT} file that does not name an existing manifest (a power cut while
     * LevelDB replaced it): it names the newest manifest again, which LevelDB had fsynced before it
     * began to replace {@code CURRENT}. Returns whether it mended it.
     */
    static boolean mend(Path dir) throws IOException {
        Path current = dir.resolve(NAME);
        if (!Files.isRegularFile(current) || namesAManifest(dir, Files.readAllBytes(current))) {
            return false;
        }
        long size = Files.size(current);
        Optional<Path> newest = newestManifest(dir);
        if (newest.isEmpty()) {
            return false; // nothing to name: the open fails and says to repair
        }
        String name = String.valueOf(newest.get().getFileName());
        Path mended = dir.resolve(NAME + ".mended");
        Files.write(mended, (name + "\n").getBytes(StandardCharsets.US_ASCII));
        StoreFiles.fsync(mended);
        Files.move(mended, current, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        StoreFiles.fsync(dir);
        LOG.warnf("the store's CURRENT file did not name its manifest (%d bytes), as a power cut in the first seconds "
                + "after a start leaves it: it names %s, the newest manifest, again", size, name);
        return true;
    }

    /** fsyncs {@code CURRENT} and the directory: what the open wrote, and every file name in the store, durable. */
    static void makeDurable(Path dir) throws IOException {
        StoreFiles.fsync(dir.resolve(NAME));
        StoreFiles.fsync(dir);
    }

    private static boolean namesAManifest(Path dir, byte[] contents) throws IOException {
        String s = new String(contents, StandardCharsets.US_ASCII);
        if (!s.endsWith("\n")) {
            return false;
        }
        String name = s.substring(0, s.length() - 1);
        return MANIFEST.matcher(name).matches() && Files.isRegularFile(dir.resolve(name)) && Files.size(dir.resolve(name)) > 0;
    }

    private static Optional<Path> newestManifest(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> MANIFEST.matcher(String.valueOf(f.getFileName())).matches())
                    .filter(f -> f.toFile().length() > 0)
                    .max(Comparator.comparingLong(f -> Long.parseLong(String.valueOf(f.getFileName()).substring(9))));
        }
    }
}
