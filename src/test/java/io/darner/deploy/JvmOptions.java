package io.darner.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A JVM command line's options ({@code JAVA_OPTS}), and the heap they allow. */
record JvmOptions(List<String> options) {
    private static final String MAX_HEAP = "-Xmx";

    static JvmOptions parse(String javaOpts) {
        return new JvmOptions(Arrays.stream(javaOpts.trim().split("\\s+")).toList());
    }

    /** The bytes of the last {@code -Xmx} (the one the JVM uses); fails if there is none. */
    long maxHeapBytes() {
        String xmx = options.stream().filter(o -> o.startsWith(MAX_HEAP)).reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("no " + MAX_HEAP + " in " + options + ": the JVM would size its heap by itself"));
        return bytes(xmx.substring(MAX_HEAP.length()));
    }

    /** A JVM memory size: a number with an optional k, m or g (either case). */
    static long bytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return Long.parseLong(digits) * unit;
    }
}
