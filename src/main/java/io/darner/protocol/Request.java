package io.darner.protocol;

import java.util.List;

/** A parsed request line. Each record holds exactly what the command said, already validated. */
public sealed interface Request extends ParseEvent {

    /** {@code set <q>[/sync] <flags> <exptime> <bytes> [noreply]}; the data follows as {@link DataChunk}s. */
    record Set(String queue, boolean sync, long flags, long exptime, int bytes, boolean noreply) implements Request {}

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

    /** {@code status} alone asks for the current word (null); with a word (lower case) it sets it. */
    record Status(String word) implements Request {}

    record Shutdown() implements Request {}

    record Quit() implements Request {}

    /** An unknown command or an empty line: answered {@code ERROR}, connection kept. */
    record Unknown(String verb) implements Request {}
}
