package io.darner.admin;

import io.darner.config.AdminConfig;
import io.darner.queue.Queue;
import io.darner.queue.QueueRepository;
import io.darner.storage.ChunkReader;
import io.darner.storage.ItemRecord;
import io.darner.storage.StoreException;
import io.darner.storage.StoredItem;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shows the first items of a queue without taking them. Expired items are left out: no reader
 * would get them. A payload is shown up to {@code darner.admin.max-preview-bytes}; a large item
 * (stored in chunks) is read only that far, so peeking never loads a whole 32 MiB item.
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
        long now = System.currentTimeMillis();
        List<ItemView> out = new ArrayList<>();
        for (StoredItem item : queue.peekMany(limit)) {
            ItemRecord r = item.record();
            if (r.isExpired(now)) {
                continue;
            }
            byte[] shown = r.isInline() ? head(r.data()) : headOfChunks(r);
            if (shown == null) {
                continue; // taken and removed since peekMany: no longer in the queue
            }
            boolean truncated = shown.length < r.length();
            Payload p = Payload.of(shown, truncated);
            out.add(new ItemView(out.size(), r.length(), r.flags(), Instant.ofEpochMilli(r.enqueuedAt()),
                    r.expiresAt() == 0 ? null : Instant.ofEpochMilli(r.expiresAt()), r.deliveries(), p.encoding(),
                    p.data(), truncated));
        }
        return out;
    }

    private byte[] head(byte[] data) {
        return data.length <= maxPreview ? data : Arrays.copyOf(data, maxPreview);
    }

    /** The first chunks of a large item, up to the preview size; null if the item is gone. */
    private byte[] headOfChunks(ItemRecord r) {
        ByteArrayOutputStream head = new ByteArrayOutputStream(Math.min(r.length(), maxPreview));
        try (ChunkReader chunks = repo.chunks(r, true)) {
            while (head.size() < maxPreview && chunks.hasNext()) {
                byte[] chunk = chunks.next();
                head.write(chunk, 0, Math.min(chunk.length, maxPreview - head.size()));
            }
        } catch (StoreException gone) {
            return null;
        }
        return head.toByteArray();
    }
}
