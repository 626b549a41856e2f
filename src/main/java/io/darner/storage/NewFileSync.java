package io.darner.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * fsyncs the store directory as soon as a file appears in it. LevelDB 1.8 never fsyncs its
 * directory: where a new file's name is durable only once its directory is fsynced (the strict
 * POSIX reading; not ext4), a power cut could keep a manifest record that names a table whose name
 * was lost, or a log whose writes were fsynced under a name that was lost. LevelDB creates a table,
 * writes and fsyncs it, and only then records it in its manifest; this thread, woken by the
 * creation (inotify), fsyncs the directory meanwhile. Best effort: the group commit
 * ({@link LogSyncer}) makes the log names it relies on durable itself, and a manifest that names a
 * table whose name a cut took (this thread lost the race) is repaired at the next start
 * ({@link StoreOpening}).
 */
final class NewFileSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NewFileSync.class);

    private final Path dir;
    /** Null where the directory cannot be watched (no inotify instance left, a file system without it). */
    private final WatchService watcher;

    NewFileSync(Path dir) {
        this.dir = dir;
        this.watcher = watch(dir);
        if (watcher != null) {
            Thread thread = new Thread(this::run, "darner-dir-sync");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static WatchService watch(Path dir) {
        WatchService w = null;
        try {
            w = dir.getFileSystem().newWatchService();
            dir.register(w, StandardWatchEventKinds.ENTRY_CREATE);
            return w;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("cannot watch the store directory for new files (%s): their names are made durable by the "
                    + "group commit and at start only", e.getMessage());
            closeQuietly(w);
            return null;
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                do { // every event so far is covered by one fsync
                    key.pollEvents();
                    key.reset();
                    key = watcher.poll();
                } while (key != null);
                try {
                    StoreFiles.fsync(dir);
                } catch (IOException e) {
                    LOG.debugf("fsync of the store directory failed: %s", e.getMessage()); // a write fails and says so
                }
            }
        } catch (ClosedWatchServiceException closed) {
            // the store is closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closeQuietly(watcher);
    }

    private static void closeQuietly(WatchService w) {
        if (w == null) {
            return;
        }
        try {
            w.close();
        } catch (IOException e) {
            LOG.debugf("closing the directory watch: %s", e.getMessage());
        }
    }
}
