package io.darner.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit. Writes go to LevelDB unsynced, in order, on the caller's thread; a caller that needs
 * them durable asks {@link #sync()}, and one thread fsyncs for every caller waiting at that moment.
 *
 * <p>Why this is enough: every LevelDB write lands in a write-ahead {@code *.log} file before the
 * call returns. fsyncing every {@code *.log} file present makes every write that returned before the
 * fsync started durable. A log that LevelDB already rotated away and deleted had its contents
 * flushed into a table file, which LevelDB fsyncs before it deletes the log. (LevelDB's own
 * {@code sync=true} only syncs the current log, so a write that preceded a log switch could be lost.)
 * When the logs are not those of the last fsync (a switch created one, or deleted one after its
 * table was written), the directory is fsynced too: a new log's name, and the name of the table
 * that holds a deleted log's writes, must be as durable as their contents (LevelDB 1.8 never
 * fsyncs its directory).
 */
final class LogSyncer implements AutoCloseable {
    private final Path dir;
    private final Thread thread;
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean closed;
    /** The logs whose names the last directory fsync made durable (fsync thread only). */
    private Set<Path> durableLogNames = Set.of();

    private final StoreFailures failures;

    /** Runs before each fsync; the seam through which tests make an fsync fail. */
    interface FsyncCheck {
        void check() throws IOException;
    }

    private volatile FsyncCheck beforeFsync = () -> { };

    LogSyncer(Path dir, StoreFailures failures) {
        this.dir = dir;
        this.failures = failures;
        this.thread = new Thread(this::run, "darner-fsync");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Completes once every write made before this call is on disk. */
    CompletableFuture<Void> sync() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                f.completeExceptionally(new StoreException("store is closed"));
                return f;
            }
            waiting.add(f);
            notifyAll();
        }
        return f;
    }

    private void run() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                batch = waiting;
                waiting = new ArrayList<>();
            }
            try {
                fsyncLogs();
                batch.forEach(f -> f.complete(null));
            } catch (IOException | RuntimeException e) {
                StoreException failure = failures.write(e);
                batch.forEach(f -> f.completeExceptionally(failure));
            }
        }
    }

    /**
     * fsyncs the write-ahead logs now, oldest first, and the directory if they are not those of the
     * last time. Oldest first: a power cut in the middle of the round then leaves every log durable
     * up to a moment no later than the one before it, so what survives is always a prefix of what
     * was written (a newer log fsynced before an older one could keep writes made after some that
     * are lost: a hole).
     */
    private void fsyncLogs() throws IOException {
        beforeFsync.check();
        Set<Path> names = new HashSet<>();
        boolean deleted = false;
        List<Path> logs = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(dir, "*.log")) {
            listed.forEach(logs::add);
        }
        logs.sort(Comparator.comparingLong(LogSyncer::fileNumber));
        for (Path log : logs) {
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
                ch.force(false);
                names.add(log);
            } catch (NoSuchFileException gone) {
                deleted = true; // rotated and deleted meanwhile: its contents are in a synced table file
            }
        }
        if (deleted || !names.equals(durableLogNames)) {
            StoreFiles.fsync(dir);
            durableLogNames = names;
        }
    }

    /** LevelDB's number of a log ({@code 000123.log}: 123); names it did not write sort last. */
    static long fileNumber(Path log) {
        Path fileName = log.getFileName();
        if (fileName == null) {
            return Long.MAX_VALUE;
        }
        String name = fileName.toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - ".log".length()));
        } catch (NumberFormatException notLevelDbs) {
            return Long.MAX_VALUE;
        }
    }

    void beforeFsync(FsyncCheck check) {
        this.beforeFsync = check;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
