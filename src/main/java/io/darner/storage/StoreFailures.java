package io.darner.storage;

import java.util.regex.Pattern;

/**
 * Turns LevelDB errors into {@link StoreException}s and remembers the last write failure, so that
 * health checks can report a store that cannot write (a full disk, an I/O error).
 *
 * <p>The messages reach clients ({@code SERVER_ERROR <reason>}), so they are cut down to LevelDB's
 * own words ({@code Corruption: block checksum mismatch}, {@code IO error: 000012.log: No space left
 * on device}): no Java class names, and no directory of the data files.
 */
public final class StoreFailures {
    /** An absolute path: only its last element (the file name) is kept. */
    private static final Pattern DIRECTORIES = Pattern.compile("(?<![\\w.])/(?:[^\\s/:]+/)*(?=[^\\s/:]+)");
    private static final int MAX_REASON = 200;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(StoreFailures.class);
    private volatile boolean toldCorruption;
    private volatile long lastWriteFailureAtMs;
    private volatile String lastWriteFailure;

    StoreException write(Exception e) {
        String reason = describe(e);
        lastWriteFailure = reason;
        lastWriteFailureAtMs = System.currentTimeMillis();
        if (reason.startsWith("Corruption") && !toldCorruption) {
            toldCorruption = true;
            LOG.errorf("the store refuses writes (%s): LevelDB found a damaged block while compacting, and stops "
                    + "writing rather than copy it. Reads go on. Restart the server once with "
                    + "darner.repair-on-start=true to rebuild the store without it (see docs/reliability.md)", reason);
        }
        return new StoreException("write failed: " + reason, e);
    }

    StoreException read(Exception e) {
        return new StoreException("read failed: " + describe(e), e);
    }

    /**
     * What went wrong, in LevelDB's words: the message of the innermost cause, without the Java
     * class names leveldbjni puts in front, and with file paths cut to their file names.
     */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int prefix = m.lastIndexOf("DBException: ");
        if (prefix >= 0) {
            m = m.substring(prefix + "DBException: ".length());
        }
        m = DIRECTORIES.matcher(m).replaceAll("");
        return m.length() > MAX_REASON ? m.substring(0, MAX_REASON) : m;
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
