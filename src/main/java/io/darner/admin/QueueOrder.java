package io.darner.admin;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The orders {@code GET /admin/queues?sort=<field>&order=asc|desc} knows; ties go by name. */
final class QueueOrder {
    static final String NAME = "name";
    private static final Map<String, ToDoubleFunction<QueueView>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("items", QueueView::items);
        FIELDS.put("bytes", QueueView::bytes);
        FIELDS.put("openReads", QueueView::openReads);
        FIELDS.put("delayed", QueueView::delayed);
        FIELDS.put("waiters", QueueView::waiters);
        FIELDS.put("ageMs", QueueView::ageMs);
        FIELDS.put("totalItems", QueueView::totalItems);
        FIELDS.put("expiredItems", QueueView::expiredItems);
        FIELDS.put("discarded", QueueView::discarded);
        FIELDS.put("deadLettered", QueueView::deadLettered);
        FIELDS.put("logSize", QueueView::logSize);
        FIELDS.put("itemsInPerSecond", v -> v.rates().itemsInPerSecond());
        FIELDS.put("itemsOutPerSecond", v -> v.rates().itemsOutPerSecond());
        FIELDS.put("bytesInPerSecond", v -> v.rates().bytesInPerSecond());
        FIELDS.put("bytesOutPerSecond", v -> v.rates().bytesOutPerSecond());
    }

    /** Every field a queue list can be sorted by. */
    static final String KNOWN = NAME + ", " + String.join(", ", FIELDS.keySet());

    private QueueOrder() {}

    /** Whether the order asked for is by name, ascending: the cheap case, no queue but the page's is looked at. */
    static boolean byNameAscending(String sort, boolean descending) {
        return (sort == null || sort.equals(NAME)) && !descending;
    }

    /** The order of {@code sort} (400 when unknown). */
    static Comparator<QueueView> of(String sort, boolean descending) {
        Comparator<QueueView> byName = Comparator.comparing(QueueView::name);
        if (sort == null || sort.equals(NAME)) {
            return descending ? byName.reversed() : byName;
        }
        ToDoubleFunction<QueueView> field = FIELDS.get(sort);
        if (field == null) {
            throw ApiException.badRequest("sort must be one of " + KNOWN + ", not '" + sort + "'");
        }
        Comparator<QueueView> byField = Comparator.comparingDouble(field);
        return (descending ? byField.reversed() : byField).thenComparing(byName);
    }

    /** Whether {@code order} is desc (400 unless asc, desc or absent). */
    static boolean descending(String order) {
        if (order == null || order.isEmpty() || order.equals("asc")) {
            return false;
        }
        if (order.equals("desc")) {
            return true;
        }
        throw ApiException.badRequest("order must be asc or desc, not '" + order + "'");
    }
}
