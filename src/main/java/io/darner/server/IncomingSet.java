package io.darner.server;

import io.darner.protocol.Request;
import io.darner.queue.ItemIntake;

/**
 * A set whose data is arriving. A refused set (the server is read-only) still reads its data, to
 * stay in step with the client, and answers the refusal after it.
 *
 * @param intake where the data goes, or null when refused
 * @param refusal why it will not be stored, or null
 */
record IncomingSet(Request.Set request, ItemIntake intake, String refusal) {

    /** A large item, streamed into the store as it arrives. */
    boolean isLarge() {
        return intake != null && intake.isLarge();
    }

    void write(byte[] buf, int offset, int length) {
        if (intake != null) {
            intake.write(buf, offset, length);
        }
    }

    /** The connection ended: whatever was written goes. */
    void abort() {
        if (intake != null) {
            intake.abort();
        }
    }
}
