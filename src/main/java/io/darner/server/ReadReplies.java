package io.darner.server;

import io.darner.queue.Item;

import java.util.concurrent.CompletableFuture;

/**
 * What the read side ({@link ReadSide}) needs of its connection, in the queue's terms rather than
 * the protocol's: the memcache session writes these as replies; a test records them.
 */
interface ReadReplies {

    /**
     * Writes an item for {@code key}. {@code settle} runs once it is written whole: at once for a
     * small item, after streaming for a large one (the connection is busy meanwhile); {@code undo}
     * if it never is. {@code consistent} for an item not taken (a peek), which others may remove.
     */
    void value(String key, Item item, boolean consistent, Runnable settle, Runnable undo);

    /** The end of the items of this request. */
    void end();

    /** The request breaks the rules of open reads: refused, and the connection closes. */
    void refuse();

    /** The request cannot be done (a confirm of reads that are not open): refused, the connection kept. */
    void error();

    /** The answer to a touch: whether the connection had open reads on the queue to lease. */
    void touched(boolean found);

    /** The request failed (the store, the server's status): {@code reason} for the client. */
    void failed(String reason);

    /** Holds the connection until {@code durable} completes, then runs {@code then} (or reports the failure). */
    void afterDurable(CompletableFuture<Void> durable, Runnable then);

    /** The connection waits for an item (a get with t=, a monitor). */
    void waiting();

    /** The wait is over: what follows answers the request. */
    void waitOver();

    /** The request is answered: the connection goes on with its next one, unless busy again. */
    void goOn();

    /** Whether the client is behind on reading its replies. */
    boolean behind();

    /** Holds the connection until the client has read what is queued, then runs {@code next}. */
    void afterDrain(Runnable next);

    /** Writes out what is gathered if it is large (a long monitor). */
    void flushIfLarge();

    /** Whether the connection has ended: nothing must be handed to it. */
    boolean gone();
}
