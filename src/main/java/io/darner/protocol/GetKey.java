package io.darner.protocol;

/**
 * One key of a get: the queue name and its options.
 *
 * @param timeoutMs how long to wait for an item, or -1 not to wait
 */
public record GetKey(String queue, long timeoutMs, boolean open, boolean close, boolean abort, boolean peek) {

    public static GetKey plain(String queue) {
        return new GetKey(queue, -1, false, false, false, false);
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
