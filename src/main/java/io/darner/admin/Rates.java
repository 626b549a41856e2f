package io.darner.admin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Items and data bytes per second into and out of a queue (or all queues), over the last few
 * samples (see README, Web console). "In" counts every item stored, "out" every item handed to a
 * reader, a redelivery included.
 */
@Schema(description = "Items and bytes per second in and out, over a sliding window of the last samples")
public record Rates(double itemsInPerSecond, double itemsOutPerSecond, double bytesInPerSecond,
                    double bytesOutPerSecond) {
    static final Rates ZERO = new Rates(0, 0, 0, 0);

    Rates plus(Rates o) {
        return new Rates(itemsInPerSecond + o.itemsInPerSecond, itemsOutPerSecond + o.itemsOutPerSecond,
                bytesInPerSecond + o.bytesInPerSecond, bytesOutPerSecond + o.bytesOutPerSecond);
    }
}
