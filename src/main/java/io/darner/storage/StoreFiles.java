package io.darner.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** The files LevelDB keeps in a store directory, as the opening, the format check and the repair see them. */
final class StoreFiles {
    private StoreFiles() {}

    /** Whether {@code dir} holds LevelDB files (tables, logs, manifests), as opposed to being new or empty. */
    static boolean holdsStoreFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).anyMatch(n -> n.startsWith("MANIFEST-")
                    || isTable(n) || n.endsWith(".log"));
        }
    }

    /** Whether the file of that name is a table, which LevelDB writes once and never changes. */
    static boolean isTable(String fileName) {
        return fileName.endsWith(".sst") || fileName.endsWith(".ldb");
    }

    /**
     * fsyncs a file, or a directory: a directory's fsync makes the names created, renamed and
     * removed in it durable, which an fsync of the files does not (POSIX; ext4 happens to, others
     * do not).
     */
    static void fsync(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** fsyncs every regular file in {@code dir}, then {@code dir} itself. */
    static void fsyncFilesAndDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                fsync(f);
            }
        }
        fsync(dir);
    }

    /**
     * Creates the directory and its missing parents, and makes their names durable: every directory
     * above it is fsynced, from the root down (otherwise a power cut could take a new store's whole
     * directory away). Even if it existed: the configuration check creates it before the store
     * opens, and a start that a power cut interrupted may have too. A handful of fsyncs, once a start.
     */
    static void createDirectoriesDurably(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute); // (the parents it creates are fsynced below, top down)
        Path parent = absolute.getParent();
        java.util.Deque<Path> parents = new java.util.ArrayDeque<>();
        for (Path p = parent; p != null; p = p.getParent()) {
            parents.push(p);
        }
        for (Path p : parents) {
            try {
                fsync(p);
            } catch (IOException e) { // a directory this user may not read: the names in it stay as durable as they were
                org.jboss.logging.Logger.getLogger(StoreFiles.class).debugf("cannot fsync %s: %s", p, e.getMessage());
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
