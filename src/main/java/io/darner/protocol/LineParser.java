package io.darner.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns one request line (without its terminator) into a {@link ParseEvent}. Stateless. */
final class LineParser {

    /**
     * What a line asks of the parser: hand out {@code event}; when {@code skipBytes >= 0}, first read
     * and throw away a data block of that length (a storage command refused after its length was
     * understood, so the stream stays in step).
     */
    record Parsed(ParseEvent event, int skipBytes) {
        static Parsed of(ParseEvent event) {
            return new Parsed(event, -1);
        }
    }

    private static final java.util.Set<String> STATUS_WORDS = java.util.Set.of("up", "readonly", "quiescent");
    private static final String[] STORAGE_VERBS = {"add", "replace", "append", "prepend", "cas"};

    private LineParser() {}

    static Parsed parse(String line, int maxItemSize) {
        String[] t = tokens(line);
        if (t.length == 0) {
            return Parsed.of(new Request.Unknown(""));
        }
        String verb = t[0].toLowerCase(Locale.ROOT);
        switch (verb) {
            case "set":
                return parseSet(t, maxItemSize);
            case "get":
            case "gets":
                return Parsed.of(parseGet(t));
            case "delete":
                return Parsed.of(oneQueue(t, Request.Delete::new));
            case "flush":
                return Parsed.of(oneQueue(t, Request.Flush::new));
            case "flush_expired":
                return Parsed.of(oneQueue(t, Request.FlushExpired::new));
            case "flush_all":
                return Parsed.of(parseFlushAll(t));
            case "flush_all_expired":
                return Parsed.of(noArgs(t, new Request.FlushAllExpired()));
            case "stats":
                return Parsed.of(noArgs(t, new Request.Stats()));
            case "dump_stats":
                return Parsed.of(parseDumpStats(t));
            case "version":
                return Parsed.of(noArgs(t, new Request.Version()));
            case "monitor":
                return Parsed.of(parseMonitor(t));
            case "confirm":
                return Parsed.of(parseConfirm(t));
            case "touch":
                return Parsed.of(parseTouch(t));
            case "status":
                return Parsed.of(parseStatus(t));
            case "shutdown":
                return Parsed.of(noArgs(t, new Request.Shutdown()));
            case "quit":
                return Parsed.of(new Request.Quit());
            default:
                for (String storage : STORAGE_VERBS) {
                    if (storage.equals(verb)) {
                        return parseUnsupportedStorage(verb, t, maxItemSize);
                    }
                }
                return Parsed.of(new Request.Unknown(verb));
        }
    }

    /** Splits on one or more spaces (counted first: one array of the right size, no list). */
    static String[] tokens(String line) {
        int n = line.length();
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (line.charAt(i) != ' ' && (i == 0 || line.charAt(i - 1) == ' ')) {
                count++;
            }
        }
        String[] out = new String[count];
        int k = 0;
        int i = 0;
        while (k < count) {
            while (line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ') {
                i++;
            }
            out[k++] = line.substring(start, i);
        }
        return out;
    }

    // set <q>[/sync] <flags> <exptime> <bytes> [noreply]
    private static Parsed parseSet(String[] t, int maxItemSize) {
        if (t.length < 5 || t.length > 6) {
            return Parsed.of(ProtocolError.client("bad command line format", true));
        }
        long bytes = parseDecimal(t[4]);
        if (bytes < 0) {
            return Parsed.of(ProtocolError.client("bad data chunk length", true));
        }
        if (bytes > maxItemSize) { // also catches lengths past Integer.MAX_VALUE; below it the cast is safe
            return Parsed.of(ProtocolError.server("object too large for cache", true));
        }
        int n = (int) bytes;
        boolean noreply = false;
        if (t.length == 6) {
            if (!t[5].equals("noreply")) {
                return skip(n, "bad command line format");
            }
            noreply = true;
        }
        String[] key = t[1].split("/", -1);
        boolean sync = false;
        long delay = 0;
        for (int i = 1; i < key.length; i++) {
            if (key[i].equals("sync")) {
                sync = true;
            } else if (key[i].startsWith("delay=")) {
                delay = parseDelay(key[i]);
                if (delay < 0) {
                    return skip(n, "bad delay '" + printable(key[i]) + "'");
                }
            } else {
                return skip(n, "unknown option '" + printable(key[i]) + "'");
            }
        }
        if (!QueueNames.isValid(key[0])) {
            return skip(n, "bad queue name");
        }
        long flags = parseDecimal(t[2]);
        if (flags < 0 || flags > 0xFFFF_FFFFL) {
            return skip(n, "bad flags");
        }
        Long exptime = parseSigned(t[3]);
        if (exptime == null) {
            return skip(n, "bad exptime");
        }
        return Parsed.of(new Request.Set(key[0], sync, flags, exptime, n, noreply, delay));
    }

    // add|replace|append|prepend <key> <flags> <exptime> <bytes> [noreply]; cas adds <cas unique>
    private static Parsed parseUnsupportedStorage(String verb, String[] t, int maxItemSize) {
        int minTokens = verb.equals("cas") ? 6 : 5;
        if (t.length < minTokens || t.length > minTokens + 1) {
            return Parsed.of(ProtocolError.client("bad command line format", true));
        }
        long bytes = parseDecimal(t[4]);
        if (bytes < 0) {
            return Parsed.of(ProtocolError.client("bad data chunk length", true));
        }
        if (bytes > maxItemSize) { // also catches lengths past Integer.MAX_VALUE; below it the cast is safe
            return Parsed.of(ProtocolError.server("object too large for cache", true));
        }
        return skip((int) bytes, verb + " not supported");
    }

    private static Parsed skip(int bytes, String reason) {
        return new Parsed(ProtocolError.client(reason, false), bytes);
    }

    private static ParseEvent parseGet(String[] t) {
        if (t.length < 2) {
            return ProtocolError.client("missing queue name", false);
        }
        if (t.length == 2) {
            return parseGetKey(t[1]);
        }
        List<GetKey> keys = new ArrayList<>(t.length - 1);
        for (int i = 1; i < t.length; i++) {
            if (t[i].indexOf('/') >= 0) {
                return ProtocolError.client("options need a single key", false);
            }
            if (!QueueNames.isValid(t[i])) {
                return ProtocolError.client("bad queue name", false);
            }
            keys.add(GetKey.plain(t[i]));
        }
        return new Request.Get(List.copyOf(keys));
    }

    private static ParseEvent parseGetKey(String key) {
        String[] parts = key.split("/", -1);
        String name = parts[0];
        if (name.isEmpty()) {
            return ProtocolError.client("empty queue name", true);
        }
        long timeout = -1;
        boolean open = false;
        boolean close = false;
        boolean abort = false;
        boolean peek = false;
        long delay = 0;
        boolean timed = false;
        for (int i = 1; i < parts.length; i++) {
            String opt = parts[i];
            switch (opt) {
                case "open" -> open = true;
                case "close" -> close = true;
                case "abort" -> abort = true;
                case "peek" -> peek = true;
                default -> {
                    if (opt.startsWith("delay=")) {
                        delay = parseDelay(opt);
                        if (delay < 0) {
                            return ProtocolError.client("bad delay '" + printable(opt) + "'", true);
                        }
                    } else if (opt.startsWith("t=")) {
                        timeout = parseDecimal(opt.substring(2));
                        if (timeout < 0) {
                            return ProtocolError.client("bad timeout '" + printable(opt) + "'", true);
                        }
                        timed = true;
                    } else {
                        return ProtocolError.client("unknown option '" + printable(opt) + "'", true);
                    }
                }
            }
        }
        if (delay > 0 && (!abort || open || close || peek || timed)) {
            return ProtocolError.client("delay goes with abort alone", true);
        }
        if (peek && (open || close)) {
            return ProtocolError.client("peek cannot be combined with open or close", true);
        }
        if (abort && (open || close || peek)) {
            return ProtocolError.client("abort cannot be combined with open, close or peek", true);
        }
        if (!QueueNames.isValid(name)) {
            return ProtocolError.client("bad queue name", false);
        }
        return new Request.Get(List.of(new GetKey(name, key, timeout, open, close, abort, peek, delay)));
    }

    private interface QueueRequest {
        Request make(String queue);
    }

    private static ParseEvent oneQueue(String[] t, QueueRequest make) {
        if (t.length != 2) {
            return ProtocolError.client(t.length < 2 ? "missing queue name" : "too many arguments", false);
        }
        if (!QueueNames.isValid(t[1])) {
            return ProtocolError.client("bad queue name", false);
        }
        return make.make(t[1]);
    }

    private static ParseEvent noArgs(String[] t, Request request) {
        return t.length == 1 ? request : ProtocolError.client(t[0] + " takes no arguments", false);
    }

    // flush_all [delay] [noreply]: memcached clients may send a delay, which a queue ignores
    private static ParseEvent parseFlushAll(String[] t) {
        boolean noreply = false;
        for (int i = 1; i < t.length; i++) {
            if (t[i].equals("noreply") && i == t.length - 1) {
                noreply = true;
            } else if (i != 1 || parseDecimal(t[i]) < 0) {
                return ProtocolError.client("bad command line format", false);
            }
        }
        return new Request.FlushAll(noreply);
    }

    private static ParseEvent parseDumpStats(String[] t) {
        List<String> queues = new ArrayList<>();
        for (int i = 1; i < t.length; i++) {
            if (!QueueNames.isValid(t[i])) {
                return ProtocolError.client("bad queue name", false);
            }
            queues.add(t[i]);
        }
        return new Request.DumpStats(List.copyOf(queues));
    }

    // monitor <q> <seconds> [max]
    private static ParseEvent parseMonitor(String[] t) {
        if (t.length < 3 || t.length > 4) {
            return ProtocolError.client("usage: monitor <queue> <seconds> [max]", false);
        }
        if (!QueueNames.isValid(t[1])) {
            return ProtocolError.client("bad queue name", false);
        }
        long seconds = parseDecimal(t[2]);
        if (seconds < 0 || seconds > Integer.MAX_VALUE) {
            return ProtocolError.client("bad seconds", false);
        }
        long max = Integer.MAX_VALUE;
        if (t.length == 4) {
            max = parseDecimal(t[3]);
            if (max < 0 || max > Integer.MAX_VALUE) {
                return ProtocolError.client("bad max", false);
            }
        }
        return new Request.Monitor(t[1], (int) seconds, (int) max);
    }

    // confirm <q> <count>
    private static ParseEvent parseConfirm(String[] t) {
        if (t.length != 3) {
            return ProtocolError.client("usage: confirm <queue> <count>", false);
        }
        if (!QueueNames.isValid(t[1])) {
            return ProtocolError.client("bad queue name", false);
        }
        long count = parseDecimal(t[2]);
        if (count < 0 || count > Integer.MAX_VALUE) {
            return ProtocolError.client("bad count", false);
        }
        return new Request.Confirm(t[1], (int) count);
    }

    // touch <q> <seconds> [noreply]
    private static ParseEvent parseTouch(String[] t) {
        boolean noreply = t.length == 4 && t[3].equals("noreply");
        if (t.length < 3 || t.length > 4 || (t.length == 4 && !noreply)) {
            return ProtocolError.client("usage: touch <queue> <seconds> [noreply]", false);
        }
        if (!QueueNames.isValid(t[1])) {
            return ProtocolError.client("bad queue name", false);
        }
        long seconds = parseDecimal(t[2]);
        if (seconds < 0 || seconds > Integer.MAX_VALUE) {
            return ProtocolError.client("bad seconds", false);
        }
        return new Request.Touch(t[1], (int) seconds, noreply);
    }

    /** The ms of a {@code delay=<ms>} option, from 1 to {@link Request#MAX_DELAY_MS}, or -1. */
    private static long parseDelay(String opt) {
        long ms = parseDecimal(opt.substring("delay=".length()));
        return ms < 1 || ms > Request.MAX_DELAY_MS ? -1 : ms;
    }

    private static ParseEvent parseStatus(String[] t) {
        if (t.length == 1) {
            return new Request.Status(null);
        }
        if (t.length > 2) {
            return ProtocolError.client("status takes one argument, not " + (t.length - 1), false);
        }
        String word = t[1].toLowerCase(Locale.ROOT);
        if (!STATUS_WORDS.contains(word)) {
            return ProtocolError.client("status must be up, readonly or quiescent", false);
        }
        return new Request.Status(word);
    }

    /** A non-negative decimal of at most 18 digits, or -1. */
    static long parseDecimal(String s) {
        int n = s.length();
        if (n == 0 || n > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** An optionally negative decimal of at most 18 digits, or null. */
    private static Long parseSigned(String s) {
        if (s.startsWith("-")) {
            long v = parseDecimal(s.substring(1));
            return v < 0 ? null : -v;
        }
        long v = parseDecimal(s);
        return v < 0 ? null : v;
    }

    /** Echoes client text in an error safely: bounded, printable ASCII only. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x21 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
