package io.darner.admin;

/**
 * Parses numeric query parameters into 400 errors that say what was wrong (JAX-RS itself would
 * answer 404 for an unparsable {@code @QueryParam}).
 */
final class QueryParams {
    private QueryParams() {}

    /** {@code value} as a long within {@code [min, max]}, or {@code dflt} when absent. */
    static long inRange(String name, String value, long dflt, long min, long max) {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max + ", not '" + value + "'");
    }

    static int inRange(String name, String value, int dflt, int min, int max) {
        return (int) inRange(name, value, dflt, min, (long) max);
    }
}
