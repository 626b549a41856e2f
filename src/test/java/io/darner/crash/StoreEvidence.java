package io.darner.crash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a power cut left of a store, for the report of a cut that broke an invariant: a copy of its
 * files as the cut left them (before the restart), their list, and what the manifest records
 * (LevelDB's version edits: log number, next file number, tables added and deleted).
 */
final class StoreEvidence {
    private StoreEvidence() {}

    /** Copies the store directory {@code from} (files only, not its subdirectories) to {@code to}, replacing it. */
    static void copy(Path from, Path to) throws IOException {
        delete(to);
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** The files of a store directory with their sizes, CURRENT's contents, and each manifest's records. */
    static String describe(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        b.append("files:");
        for (Path f : files) {
            b.append(' ').append(f.getFileName()).append('=').append(Files.size(f));
        }
        b.append('\n');
        Path current = dir.resolve("CURRENT");
        if (Files.exists(current)) {
            byte[] c = Files.readAllBytes(current);
            b.append("CURRENT: ").append(c.length).append(" bytes, ")
                    .append(new String(c, 0, Math.min(c.length, 40), StandardCharsets.US_ASCII).replace("\n", "\\n").replace("\0", "\\0"))
                    .append('\n');
        }
        for (Path f : files) {
            if (String.valueOf(f.getFileName()).startsWith("MANIFEST-")) {
                b.append(f.getFileName()).append(":\n").append(manifest(Files.readAllBytes(f)));
            }
        }
        return b.toString();
    }

    /** LevelDB's manifest: log records (32 KiB blocks, 7-byte headers) each holding a version edit. */
    static String manifest(byte[] file) {
        StringBuilder b = new StringBuilder();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int pos = 0;
        while (pos + 7 <= file.length) {
            int blockLeft = 32768 - pos % 32768;
            if (blockLeft < 7) {
                pos += blockLeft;
                continue;
            }
            int length = (file[pos + 4] & 0xff) | (file[pos + 5] & 0xff) << 8;
            int type = file[pos + 6] & 0xff;
            if (type == 0 && length == 0) {
                break; // the zeros of a mapped file's unused end
            }
            if (pos + 7 + length > file.length) {
                b.append("  (torn record at ").append(pos).append(")\n");
                break;
            }
            record.write(file, pos + 7, length);
            pos += 7 + length;
            if (type == 1 || type == 4) { // full, last
                b.append("  ").append(edit(record.toByteArray())).append('\n');
                record.reset();
            }
        }
        return b.toString();
    }

    private static String edit(byte[] e) {
        StringBuilder b = new StringBuilder("edit:");
        int[] p = {0};
        try {
            while (p[0] < e.length) {
                int tag = (int) varint(e, p);
                switch (tag) {
                    case 1 -> b.append(" comparator=").append(new String(slice(e, p), StandardCharsets.US_ASCII));
                    case 2 -> b.append(" log=").append(varint(e, p));
                    case 3 -> b.append(" next=").append(varint(e, p));
                    case 4 -> b.append(" lastSeq=").append(varint(e, p));
                    case 5 -> {
                        long level = varint(e, p);
                        slice(e, p);
                        b.append(" compactPointer@L").append(level);
                    }
                    case 6 -> b.append(" -L").append(varint(e, p)).append('#').append(varint(e, p));
                    case 7 -> {
                        long level = varint(e, p);
                        long number = varint(e, p);
                        long size = varint(e, p);
                        slice(e, p);
                        slice(e, p);
                        b.append(" +L").append(level).append('#').append(number).append('(').append(size).append(')');
                    }
                    case 9 -> b.append(" prevLog=").append(varint(e, p));
                    default -> {
                        b.append(" ?tag").append(tag);
                        return b.toString();
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException torn) {
            b.append(" (cut short)");
        }
        return b.toString();
    }

    private static long varint(byte[] e, int[] p) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = e[p[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return v;
            }
        }
    }

    private static byte[] slice(byte[] e, int[] p) {
        int n = (int) varint(e, p);
        byte[] s = java.util.Arrays.copyOfRange(e, p[0], p[0] + n);
        p[0] += n;
        return s;
    }
}
