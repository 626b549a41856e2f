package io.darner.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The two lines nearly every request is, read straight from the input bytes: {@code get <q>} and
 * {@code set <q> <flags> <exptime> <bytes> [noreply]}, lower case, single spaces, no key options,
 * no fanout child. They make the same requests {@link LineParser} would, without the line's String,
 * its tokens and their arrays: a third of what the server allocated per request, and so a third of
 * its young collections, whose pauses set the latency tail under load. Anything else, and anything
 * these would refuse, is left to {@link LineParser} (null), which also words the errors.
 *
 * <p>One per connection: it keeps the last queue name, which a connection usually repeats, and the
 * plain get of it.
 */
final class PlainLines {
    private static final int MAX_DIGITS = 18;
    private static final long MAX_FLAGS = 0xFFFF_FFFFL;

    private final int maxItemSize;
    private byte[] lastNameBytes = new byte[0];
    private String lastName = "";
    /** {@code get <lastName>} once asked (requests are values: a repeated one is the same object). */
    private Request.Get lastGet;

    PlainLines(int maxItemSize) {
        this.maxItemSize = maxItemSize;
    }

    /** The request of {@code buf[from, to)} (a line without its terminator), or null if it is not plain. */
    Request parse(byte[] buf, int from, int to) {
        if (to - from < 5 || buf[from + 3] != ' ') {
            return null;
        }
        byte b0 = buf[from];
        if (buf[from + 1] != 'e' || buf[from + 2] != 't') {
            return null;
        }
        if (b0 == 'g') {
            return get(buf, from + 4, to);
        }
        return b0 == 's' ? set(buf, from + 4, to) : null;
    }

    private Request get(byte[] buf, int from, int to) {
        if (nameEnd(buf, from, to) != to) {
            return null;
        }
        String name = name(buf, from, to);
        if (name == null) {
            return null;
        }
        if (lastGet == null) {
            lastGet = new Request.Get(List.of(GetKey.plain(name)));
        }
        return lastGet;
    }

    private Request set(byte[] buf, int from, int to) {
        int nameEnd = nameEnd(buf, from, to);
        if (nameEnd >= to || buf[nameEnd] != ' ') {
            return null;
        }
        int flagsEnd = digitsEnd(buf, nameEnd + 1, to);
        if (flagsEnd >= to || buf[flagsEnd] != ' ') {
            return null;
        }
        int exptimeFrom = flagsEnd + 1;
        boolean negative = exptimeFrom < to && buf[exptimeFrom] == '-';
        int exptimeEnd = digitsEnd(buf, negative ? exptimeFrom + 1 : exptimeFrom, to);
        if (exptimeEnd >= to || buf[exptimeEnd] != ' ') {
            return null;
        }
        int bytesEnd = digitsEnd(buf, exptimeEnd + 1, to);
        boolean noreply = false;
        if (bytesEnd != to) {
            noreply = isNoreply(buf, bytesEnd, to);
            if (!noreply) {
                return null;
            }
        }
        long flags = decimal(buf, nameEnd + 1, flagsEnd);
        long exptime = decimal(buf, negative ? exptimeFrom + 1 : exptimeFrom, exptimeEnd);
        long bytes = decimal(buf, exptimeEnd + 1, bytesEnd);
        if (flags < 0 || flags > MAX_FLAGS || exptime < 0 || bytes < 0 || bytes > maxItemSize) {
            return null;
        }
        String name = name(buf, from, nameEnd);
        if (name == null) {
            return null;
        }
        return new Request.Set(name, false, flags, negative ? -exptime : exptime, (int) bytes, noreply, 0);
    }

    private static boolean isNoreply(byte[] buf, int from, int to) {
        return to - from == 8 && buf[from] == ' ' && buf[from + 1] == 'n' && buf[from + 2] == 'o'
                && buf[from + 3] == 'r' && buf[from + 4] == 'e' && buf[from + 5] == 'p' && buf[from + 6] == 'l'
                && buf[from + 7] == 'y';
    }

    /** Where the run of queue-name bytes that starts at {@code from} ends. */
    private static int nameEnd(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && QueueNames.isNameChar(buf[i])) {
            i++;
        }
        return i;
    }

    /** The name of {@code buf[from, to)} (name bytes only), or null if the rules refuse it. */
    private String name(byte[] buf, int from, int to) {
        int length = to - from;
        if (length == 0 || length > QueueNames.MAX_LENGTH
                || (buf[from] == '.' && (length == 1 || (length == 2 && buf[from + 1] == '.')))) {
            return null;
        }
        if (!Arrays.equals(buf, from, to, lastNameBytes, 0, lastNameBytes.length)) {
            lastNameBytes = Arrays.copyOfRange(buf, from, to);
            lastName = new String(lastNameBytes, StandardCharsets.ISO_8859_1);
            lastGet = null;
        }
        return lastName;
    }

    private static int digitsEnd(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && buf[i] >= '0' && buf[i] <= '9') {
            i++;
        }
        return i;
    }

    /** The decimal of {@code buf[from, to)} (digits only), or -1 when empty or too long. */
    private static long decimal(byte[] buf, int from, int to) {
        if (to == from || to - from > MAX_DIGITS) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (buf[i] - '0');
        }
        return v;
    }
}
