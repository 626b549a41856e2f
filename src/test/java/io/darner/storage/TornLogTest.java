package io.darner.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A write-ahead log that a power cut left ending in part of a record, as an fsync running while
 * LevelDB copies a record into its mapped log leaves it (PowerLossIT found it): the store opens with
 * every whole record of it. LevelDB 1.8 alone drops the whole log when a newer one follows it (a
 * log switch shortly before the cut): every write in it, fsynced or not, was lost.
 */
class TornLogTest {
    private static final int BLOCK = 32 * 1024;
    private static final int ITEMS = 200;

    @TempDir
    Path dir;

    @Test
    void aLogThatEndsInATornRecordBeforeANewerLogKeepsEveryWholeRecord() throws IOException {
        writeItemsAndKill();
        Path log = onlyLog();
        long whole = Files.size(log);
        appendTornRecord(log);
        Files.createFile(dir.resolve(String.format("%06d.log", number(log) + 1))); // the log switched to before the cut
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            assertEquals(whole, LogTails.endOfWholeRecords(ch, ch.size()));
        }

        assertEquals(ITEMS, itemsAfterOpening());
    }

    @Test
    void aLogWithZerosAfterItsLastRecordIsLeftAlone() throws IOException {
        writeItemsAndKill();
        Path log = onlyLog();
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(3 * BLOCK), ch.size()); // an unused mapped region
        }
        byte[] before = Files.readAllBytes(log);

        assertEquals(0, LogTails.trimTorn(dir));
        assertArrayEquals(before, Files.readAllBytes(log));
        assertEquals(ITEMS, itemsAfterOpening());
    }

    @Test
    void recordsAfterAHoleAreCutOffWithIt() throws IOException {
        writeItemsAndKill();
        Path log = onlyLog();
        long whole = Files.size(log);
        byte[] later = record(1, batchBytes(40));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            long nextBlock = (whole / BLOCK + 2) * BLOCK; // a page of later records was made durable, the one before not
            ch.write(ByteBuffer.wrap(later), nextBlock);
        }

        assertEquals(1, LogTails.trimTorn(dir));
        assertEquals(whole, Files.size(log));
        assertEquals(ITEMS, itemsAfterOpening());
    }

    private void writeItemsAndKill() {
        FaultInjector faults = new FaultInjector();
        QueueStore store = faults.open(dir);
        long qid = store.createQueue("jobs");
        for (int i = 0; i < ITEMS; i++) {
            store.append(qid, i, ItemRecord.inline(0, 0, 0, ("item " + i).getBytes()), null);
        }
        faults.closeAsIfKilled(store::close); // LevelDB's close keeps its log: the next open replays it
    }

    private int itemsAfterOpening() {
        try (QueueStore store = QueueStore.open(dir, 1 << 20, TestEngine.chosen())) {
            StoredQueue jobs = store.recoveredQueues().stream().filter(q -> q.name().equals("jobs")).findFirst()
                    .orElseThrow(() -> new AssertionError("queue jobs lost"));
            return (int) jobs.items();
        }
    }

    private Path onlyLog() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(f -> f.toString().endsWith(".log")).toList();
            assertEquals(1, logs.size(), "logs: " + logs);
            return logs.get(0);
        }
    }

    private static long number(Path log) {
        String name = log.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".log".length()));
    }

    /**
     * The first fragment of a record too long for the rest of the block, whole and with its
     * checksum, then a block of zeros where its next fragment should be: the next page was not
     * written back when the fsync ran.
     */
    private static void appendTornRecord(Path log) throws IOException {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            long at = ch.size();
            int left = (int) (BLOCK - at % BLOCK);
            if (left < 7 + 12) {
                ch.write(ByteBuffer.allocate(left), at); // the block's trailer
                at += left;
                left = BLOCK;
            }
            ch.write(ByteBuffer.wrap(record(2, batchBytes(left - 7))), at);
            ch.write(ByteBuffer.allocate(BLOCK), at + left);
        }
    }

    /** A write batch's bytes as LevelDB logs them (sequence, count, then the operations; here filler). */
    private static byte[] batchBytes(int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) 'x');
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putInt(1);
        return b;
    }

    /** A log record: masked CRC32C of type and data, length, type, data. */
    private static byte[] record(int type, byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(data);
        int c = (int) crc.getValue();
        int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
        ByteBuffer b = ByteBuffer.allocate(7 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(masked).putShort((short) data.length).put((byte) type).put(data);
        return b.array();
    }
}
