package io.darner.protocol;

import java.util.List;

/** A parsed request line. Each record holds exactly what the command said, already validated. */
public sealed interface Request extends ParseEvent {

    /** The longest delay of a set or an abort: 30 days, in ms. */
    long MAX_DELAY_MS = 30L * 24 * 60 * 60 * 1000;

    /**
     * {@code set <q>[/sync][/delay=<ms>] <flags> <exptime> <bytes> [noreply]}; the data follows as
     * {@link DataChunk}s. {@code delayMs} 0: handed out at once.
     */
    record Set(String queue, boolean sync, long flags, long exptime, int bytes, boolean noreply, long delayMs)
            implements Request {
        public Set(String queue, boolean sync, long flags, long exptime, int bytes, boolean noreply) {
            this(queue, sync, flags, exptime, bytes, noreply, 0);
        }
    }

    /** {@code get} / {@code gets}: one key with options, or several plain keys. */
    record Get(List<GetKey> keys) implements Request {
        public GetKey single() {
            return keys.get(0);
        }
    }

    record Delete(String queue) implements Request {}

    record Flush(String queue) implements Request {}

    record FlushAll(boolean noreply) implements Request {}

    record FlushExpired(String queue) implements Request {}

    record FlushAllExpired() implements Request {}

    record Stats() implements Request {}

    record DumpStats(List<String> queues) implements Request {}

    record Version() implements Request {}

    record Monitor(String queue, int seconds, int max) implements Request {}

    record Confirm(String queue, int count) implements Request {}

    /** {@code touch <q> <seconds> [noreply]}: the connection's open reads on q get a lease of that long (0: none). */
    record Touch(String queue, int seconds, boolean noreply) implements Request {}

    /** {@code status} alone asks for the current word (null); with a word (lower case) it sets it. */
    record Status(String word) implements Request {}

    record Shutdown() implements Request {}

    record Quit() implements Request {}

    /** An unknown command or an empty line: answered {@code ERROR}, connection kept. */
    record Unknown(String verb) implements Request {}
}
