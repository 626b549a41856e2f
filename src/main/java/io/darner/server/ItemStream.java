package io.darner.server;

import io.darner.queue.ItemBytes;

/**
 * A large item's data going out to a client as fast as the client reads it, chunk by chunk from
 * the store (in the spirit of Netty's {@code ChunkedInput}): the session resumes it each time the
 * socket drains. {@code settle} runs once all of it is written; {@code undo} if it never is.
 */
final class ItemStream {
    private final ItemBytes bytes;
    private final ReplyOutput output;
    private final Runnable settle;
    private final Runnable undo;

    ItemStream(ItemBytes bytes, ReplyOutput output, Runnable settle, Runnable undo) {
        this.bytes = bytes;
        this.output = output;
        this.settle = settle;
        this.undo = undo;
    }

    /**
     * Writes chunks until the item is written whole (true: then {@link #settle}) or the client is
     * behind (false: resume on drain). A store failure is thrown after the item is given back.
     */
    boolean resume() {
        try {
            while (bytes.hasNext() && !output.full()) {
                output.writeDirect(bytes.next());
            }
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        if (bytes.hasNext()) {
            return false;
        }
        bytes.close();
        return true;
    }

    /** The item is written whole: what follows it runs (the next item, the end of the reply). */
    void settle() {
        settle.run();
    }

    /** The item will not be written whole: it goes back. */
    void abort() {
        bytes.close();
        undo.run();
    }
}
