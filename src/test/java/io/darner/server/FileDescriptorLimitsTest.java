package io.darner.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener's answers to a low file descriptor limit, without a server (FileDescriptorIT runs one). */
class FileDescriptorLimitsTest {

    @Test
    void connectionsAreCappedSoThatTheStoreKeepsItsDescriptors() {
        assertEquals(10_000, QueueListener.connectionLimit(10_000, 1_048_576));
        assertEquals(10_000, QueueListener.connectionLimit(10_000, -1), "unknown limit: as configured");
        assertEquals(56, QueueListener.connectionLimit(10_000, 256));
        assertEquals(824, QueueListener.connectionLimit(10_000, 1024));
        assertEquals(20, QueueListener.connectionLimit(20, 1024));
        assertEquals(1, QueueListener.connectionLimit(10_000, 100), "never below one");
    }

    @Test
    void runningOutOfDescriptorsIsOneEpisodeUntilAConnectionIsAcceptedAgain() {
        AcceptFailureLog filter = AcceptFailureLog.install();
        LogRecord emfile = record(new IOException("Too many open files"));
        assertFalse(filter.isLoggable(emfile), "Netty's warning is dropped");
        assertTrue(filter.isFailing());
        assertFalse(filter.isLoggable(record(new RuntimeException(new IOException("accept(..) failed: Too many open files")))));
        filter.accepted();
        assertFalse(filter.isFailing());
        assertTrue(filter.isLoggable(record(new IOException("Connection reset by peer"))), "other records pass");
        assertTrue(filter.isLoggable(record(null)));
    }

    private static LogRecord record(Throwable thrown) {
        LogRecord r = new LogRecord(Level.WARNING, "An exceptionCaught() event was fired");
        r.setThrown(thrown);
        return r;
    }
}
