package io.darner.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
