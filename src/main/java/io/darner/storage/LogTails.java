package io.darner.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Cuts a write-ahead log back to its last whole record when a power loss left anything else after
 * it, before LevelDB reads it. LevelDB 1.8 writes its logs through {@code mmap}, so an fsync that
 * runs while a record is being copied in (the group commit's, or the sync period's) can make part
 * of a record durable, or a page of later records without the page before it. What follows the
 * last whole record was written after that fsync began: no write acknowledged as durable is in it.
 *
 * <p>Why not leave it to LevelDB: with {@code paranoid_checks} it stops reading a log at such a
 * record, does not keep what it read of that log, and, when a newer log follows (a log switch
 * shortly before the cut), the newer log's clean recovery overwrites the error and the open goes on
 * without the older log at all: every write in it lost, acknowledged or not, and the log deleted
 * (docs/reliability.md, Power loss). Without the checks it skips the damaged block and reads on,
 * keeping later records after a lost one. Cut back here, every log reads cleanly to its end.
 *
 * <p>The log format: 32 KiB blocks of records, each a 7-byte header (masked CRC32C of the type and
 * the data, little-endian; the data's length, 2 bytes; the type: full, or first, middle and last
 * fragment of a record that spans blocks) and the data; fewer than 7 bytes left in a block are
 * zeros; an unused mapped region at the end is zeros.
 */
final class LogTails {
    private static final Logger LOG = Logger.getLogger(LogTails.class);
    private static final int BLOCK = 32 * 1024;
    private static final int HEADER = 7;
    private static final int FULL = 1;
    private static final int FIRST = 2;
    private static final int MIDDLE = 3;
    private static final int LAST = 4;
    /** A write batch's own header (sequence and count): a record shorter than this is damaged. */
    private static final int BATCH_HEADER = 12;

    private LogTails() {}

    /**
     * Cuts every log in {@code dir} back to its last whole record if more than zeros follow it;
     * returns how many it cut. Not while another process holds the store's lock (a server running
     * on it, whose log may end in a record being written): its opening fails on the lock anyway.
     */
    static int trimTorn(Path dir) throws IOException {
        Path lockFile = dir.resolve("LOCK");
        if (!Files.exists(lockFile)) {
            return trimAll(dir); // no LevelDB ever opened it
        }
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = lockChannel.tryLock()) { // LevelDB's own lock, fcntl on Linux
            return lock == null ? 0 : trimAll(dir);
        } catch (OverlappingFileLockException heldHere) {
            return 0; // this process has it open (the Java engine's lock)
        }
    }

    private static int trimAll(Path dir) throws IOException {
        int trimmed = 0;
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "*.log")) {
            for (Path log : logs) {
                if (trim(log)) {
                    trimmed++;
                }
            }
        }
        return trimmed;
    }

    private static boolean trim(Path log) throws IOException {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long end = endOfWholeRecords(ch, size);
            long firstNonZero = firstNonZero(ch, end, size);
            if (firstNonZero < 0) {
                return false; // nothing after the last whole record but zeros: LevelDB reads it cleanly
            }
            ch.truncate(end);
            ch.force(true);
            LOG.warnf("the write-ahead log %s ends in a record that a power loss left incomplete: cut back to its last "
                    + "whole record (from %d to %d bytes, the first damaged byte at %d), which drops only writes made "
                    + "after the last fsync", log.getFileName(), size, end, firstNonZero);
            return true;
        }
    }

    /** Where the last whole, intact record of the log ends: reading stops at the first record that is not. */
    static long endOfWholeRecords(FileChannel ch, long size) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        long end = 0;
        boolean inFragments = false;
        long recordLength = 0;
        for (long blockStart = 0; blockStart < size; blockStart += BLOCK) {
            block.clear();
            int length = (int) Math.min(BLOCK, size - blockStart);
            block.limit(length);
            while (block.hasRemaining()) {
                if (ch.read(block, blockStart + block.position()) < 0) {
                    return end;
                }
            }
            int at = 0;
            while (length - at >= HEADER) {
                int checksum = block.getInt(at);
                int dataLength = Short.toUnsignedInt(block.getShort(at + 4));
                int type = Byte.toUnsignedInt(block.get(at + 6));
                if (at + HEADER + dataLength > length || type < FULL || type > LAST) {
                    return end; // zeros (where writing stopped), a length past the block, or garbage
                }
                crc.reset();
                crc.update(type);
                crc.update(block.array(), at + HEADER, dataLength);
                if (checksum != mask((int) crc.getValue())) {
                    return end;
                }
                boolean starts = type == FULL || type == FIRST;
                if (starts == inFragments) {
                    return end; // a fragment out of sequence
                }
                recordLength = (starts ? 0 : recordLength) + dataLength;
                inFragments = type == FIRST || type == MIDDLE;
                at += HEADER + dataLength;
                if (!inFragments) {
                    if (recordLength < BATCH_HEADER) {
                        return end;
                    }
                    end = blockStart + at;
                }
            }
            if (length < BLOCK) {
                return end;
            }
        }
        return end;
    }

    /** The position of the first byte in [from, size) that is not zero, or -1. */
    private static long firstNonZero(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        for (long at = from; at < size; ) {
            buffer.clear();
            int n = ch.read(buffer, at);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) != 0) {
                    return at + i;
                }
            }
            at += n;
        }
        return -1;
    }

    /** LevelDB stores CRCs masked (rotated and offset), so that a CRC of data holding CRCs stays robust. */
    private static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }
}
