package io.darner.admin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A history as columns, oldest sample first: the i-th entry of every array belongs to
 * {@code times[i]}. Ready for a chart.
 *
 * @param kept false for a queue past darner.metrics.max-queues, which keeps no history (the arrays are empty)
 */
@Schema(description = "Samples as columns, oldest first; entry i of every array belongs to times[i]")
public record HistoryView(
        @Schema(description = "milliseconds between samples (darner.admin.history-interval)") long intervalMs,
        @Schema(description = "false for a queue past darner.metrics.max-queues by name: no history is kept for it")
        boolean kept,
        @Schema(description = "when each sample was taken, epoch milliseconds") long[] times,
        @Schema(description = "items available") long[] items,
        @Schema(description = "items handed out by open reads, not yet confirmed") int[] openReads,
        @Schema(description = "age of the oldest item available, milliseconds (server: the largest among the queues "
                + "that keep history)") long[] oldestAgeMs,
        float[] itemsInPerSecond,
        float[] itemsOutPerSecond,
        float[] bytesInPerSecond,
        float[] bytesOutPerSecond) {

    static HistoryView notKept(long intervalMs) {
        return new HistoryView(intervalMs, false, new long[0], new long[0], new int[0], new long[0], new float[0],
                new float[0], new float[0], new float[0]);
    }
}
