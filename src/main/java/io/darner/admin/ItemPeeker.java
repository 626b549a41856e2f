package io.darner.admin;

import io.darner.config.AdminConfig;
import io.darner.queue.ItemBytes;
import io.darner.queue.PeekedItem;
import io.darner.queue.Queue;
import io.darner.queue.QueueRepository;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows the first items of a queue without taking them (expired ones are left out: no reader would
 * get them). A payload is shown up to {@code darner.admin.max-preview-bytes}; a large item is read
 * only that far, so peeking never loads a whole 32 MiB item.
 */
@Singleton
public class ItemPeeker {
    private final QueueRepository repo;
    private final int maxPreview;

    public ItemPeeker(QueueRepository repo, AdminConfig config) {
        this.repo = repo;
        this.maxPreview = (int) Math.min(Integer.MAX_VALUE, config.maxPreviewBytes().asLongValue());
    }

    public List<ItemView> peek(Queue queue, int limit) {
        List<ItemView> out = new ArrayList<>();
        for (PeekedItem item : queue.peekMany(limit)) {
            byte[] shown = head(item);
            if (shown == null) {
                continue; // taken and removed since peekMany: no longer in the queue
            }
            boolean truncated = shown.length < item.length();
            Payload p = Payload.of(shown, truncated);
            out.add(new ItemView(out.size(), item.length(), item.flags(), Instant.ofEpochMilli(item.enqueuedAt()),
                    item.expiresAt() == 0 ? null : Instant.ofEpochMilli(item.expiresAt()), item.deliveries(),
                    p.encoding(), p.data(), truncated));
        }
        return out;
    }

    /** The item's first bytes, up to the preview size; null if the item is gone. */
    private byte[] head(PeekedItem item) {
        ByteArrayOutputStream head = new ByteArrayOutputStream(Math.min(item.length(), maxPreview));
        try (ItemBytes bytes = repo.read(item, true)) {
            while (head.size() < maxPreview && bytes.hasNext()) {
                byte[] piece = bytes.next();
                head.write(piece, 0, Math.min(piece.length, maxPreview - head.size()));
            }
        } catch (UncheckedIOException gone) {
            return null;
        }
        return head.toByteArray();
    }
}
