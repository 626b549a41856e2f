package io.darner.admin;

import io.darner.queue.ItemIntake;
import io.darner.queue.QueueRepository;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read into the queue layer's intake the way a memcache set's data is: a small item
 * into one array, a large one streamed into the store as it is read, so the heap never holds a
 * large item whole.
 */
final class BodyItem {
    private BodyItem() {}

    /** Reads the body; 413 as soon as it passes {@code maxSize} (whatever was stored goes). */
    static ItemIntake read(InputStream body, long maxSize, QueueRepository repo) throws IOException {
        byte[] first = body.readNBytes(ItemIntake.SMALL_MAX + 1);
        if (first.length > maxSize) {
            throw tooLarge(maxSize);
        }
        ItemIntake item = repo.beginItem(first.length); // over SMALL_MAX: large, its length what is read
        try {
            long length = first.length;
            item.write(first, 0, first.length);
            if (!item.isLarge()) {
                return item;
            }
            byte[] buf = new byte[ItemIntake.SMALL_MAX];
            for (int n; (n = body.read(buf)) > 0 && !item.failed(); ) {
                length += n;
                if (length > maxSize) {
                    throw tooLarge(maxSize);
                }
                item.write(buf, 0, n);
            }
            return item;
        } catch (IOException | RuntimeException e) {
            item.abort();
            throw e;
        }
    }

    static ApiException tooLarge(long maxSize) {
        return ApiException.tooLarge("item larger than the maximum item size of " + maxSize + " bytes");
    }
}
