package io.darner.loadgen;

import java.util.regex.Pattern;

/**
 * The options a get carries after the queue name ({@code get q/t=500/close/open}). Only those that
 * keep every delivery checkable are accepted: {@code t=<ms>} (wait for an item), {@code open} (a
 * reliable read) and {@code close} (confirm the previous one). {@code open} needs {@code close}, so a
 * connection holds at most one open read per queue; the last one is confirmed by a final
 * {@code get q/close}.
 */
record GetOptions(String suffix, boolean opens, boolean closes) {
    static final GetOptions NONE = new GetOptions("", false, false);
    private static final Pattern TIMEOUT = Pattern.compile("t=[0-9]{1,9}");

    /** Reads {@code /t=500/close/open} (the leading slash is optional); empty means none. */
    static GetOptions parse(String text) throws UsageException {
        String suffix = text.startsWith("/") ? text.substring(1) : text;
        if (suffix.isEmpty()) {
            return NONE;
        }
        boolean opens = false;
        boolean closes = false;
        for (String option : suffix.split("/", -1)) {
            switch (option) {
                case "open" -> opens = true;
                case "close" -> closes = true;
                default -> {
                    if (!TIMEOUT.matcher(option).matches()) {
                        throw new UsageException("--get-options takes t=MS, open and close, not " + option);
                    }
                }
            }
        }
        if (opens && !closes) {
            throw new UsageException("--get-options: open needs close too (one open read per queue at a time)");
        }
        return new GetOptions("/" + suffix, opens, closes);
    }

    @Override
    public String toString() {
        return suffix.isEmpty() ? "-" : suffix;
    }
}
