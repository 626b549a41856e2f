package io.darner.protocol;

/**
 * One key of a get: the queue name and its options.
 *
 * @param requested the key as the client wrote it ({@code jobs/t=500/open}), which the reply may
 *                  name: clients match each {@code VALUE} to a key they asked for
 * @param timeoutMs how long to wait for an item, or -1 not to wait
 * @param delayMs with {@code abort} alone: how long the aborted read is held before it is handed
 *                out again; 0 for at once
 */
public record GetKey(String queue, String requested, long timeoutMs, boolean open, boolean close, boolean abort,
                     boolean peek, long delayMs) {

    public GetKey(String queue, String requested, long timeoutMs, boolean open, boolean close, boolean abort,
                  boolean peek) {
        this(queue, requested, timeoutMs, open, close, abort, peek, 0);
    }

    public static GetKey plain(String queue) {
        return new GetKey(queue, queue, -1, false, false, false, false);
    }

    /** A take that removes the item at once: not open, not peek, not close or abort. */
    public boolean plainTake() {
        return !open && !peek && !close && !abort;
    }

    /** Whether this get hands out an item (close alone and abort only settle an open read). */
    public boolean fetches() {
        return !abort && (open || peek || !close);
    }
}
