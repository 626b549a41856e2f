package io.darner.storage;

/**
 * Turns LevelDB errors into {@link StoreException}s and remembers the last write failure, so that
 * health checks can report a store that cannot write (a full disk, an I/O error).
 */
public final class StoreFailures {
    private volatile long lastWriteFailureAtMs;
    private volatile String lastWriteFailure;

    StoreException write(Exception e) {
        lastWriteFailure = String.valueOf(e.getMessage());
        lastWriteFailureAtMs = System.currentTimeMillis();
        return new StoreException("write failed: " + e.getMessage(), e);
    }

    StoreException read(Exception e) {
        return new StoreException("read failed: " + e.getMessage(), e);
    }

    /** When the last write failed (epoch ms), 0 if none has. */
    public long lastWriteFailureAtMs() {
        return lastWriteFailureAtMs;
    }

    /** Why the last write failed, or null. */
    public String lastWriteFailure() {
        return lastWriteFailure;
    }
}
