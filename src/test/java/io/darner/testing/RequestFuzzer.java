package io.darner.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Random memcache-protocol requests for fuzzing: well-formed requests of every kind, mutations of
 * them (bytes flipped, inserted, dropped or duplicated, tokens swapped, numbers made huge or
 * negative, data lengths off by one, CR and LF in odd places), and garbage. Deterministic for a
 * given {@link Random}, so a failure replays from its seed.
 *
 * <p>With {@code destructive} false it never writes the requests that change the whole server
 * ({@code flush_all}, {@code status <word>}, {@code shutdown}), as a fuzz of a shared server must
 * not; mutations can still make them, which a caller that must exclude them checks by parsing.
 */
public final class RequestFuzzer {
    private static final String[] VERBS = {"set", "get", "gets", "delete", "flush", "flush_expired", "flush_all",
        "flush_all_expired", "stats", "dump_stats", "version", "monitor", "confirm", "status", "shutdown", "quit",
        "add", "replace", "append", "prepend", "cas", "incr", "touch", "verbosity", ""};
    private static final String[] GET_OPTIONS = {"open", "close", "abort", "peek", "t=0", "t=1", "t=20", "t=bogus",
        "sync", "", "t=-1", "opne", "delay=1", "delay=0", "delay=x"};
    private static final String[] NUMBERS = {"0", "1", "2", "5", "-1", "-0", "4294967295", "4294967296",
        "999999999999999999", "9999999999999999999", "1.5", "x", "", "0x10", "00000000000000000000001", "+1"};
    private static final String[] ODD_BYTES = {"\r", "\n", "\r\n", " ", "  ", "\0", "\t", "/", "+", "\377", "\r\r\n"};

    private final Random random;
    private final List<String> queues;
    private final boolean destructive;
    private int mutatedPercent = 35;
    private int garbagePercent = 10;

    /**
     * @param queues the queue names valid requests use (a fuzz of a live server passes names of its
     *        own, so that it cannot touch other queues but through mutations)
     */
    public RequestFuzzer(Random random, List<String> queues, boolean destructive) {
        this.random = random;
        this.queues = queues;
        this.destructive = destructive;
    }

    /** Sets the shares of mutated requests and of garbage among the pieces of a stream (35% and 10% by default). */
    public RequestFuzzer noise(int mutatedPercent, int garbagePercent) {
        this.mutatedPercent = mutatedPercent;
        this.garbagePercent = garbagePercent;
        return this;
    }

    /** A stream of {@code n} pieces: mostly well-formed requests, some mutated, some garbage. */
    public byte[] stream(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(piece());
        }
        return out.toByteArray();
    }

    /** One piece of a stream: a request, a mutated request or garbage. */
    public byte[] piece() {
        int kind = random.nextInt(100);
        if (kind < garbagePercent) {
            return garbage();
        }
        if (kind < garbagePercent + mutatedPercent) {
            return mutate(validRequest());
        }
        return validRequest();
    }

    /** A well-formed request of a random kind (spec section 3), with its data block for storage commands. */
    public byte[] validRequest() {
        String q = queue();
        switch (random.nextInt(22)) {
            case 0, 1, 2, 3:
                return storage("set", q + (random.nextInt(8) == 0 ? "/sync" : ""), "");
            case 4:
                return storage(pick("add", "replace", "append", "prepend"), q, "");
            case 5:
                return storage("cas", q, " " + random.nextInt(100));
            case 6, 7, 8, 9, 10:
                return line(pick("get", "gets", "GET") + " " + getKey(q));
            case 11:
                return line("get " + q + " " + queue() + (random.nextBoolean() ? " " + queue() : ""));
            case 12:
                return line(pick("delete", "flush", "flush_expired") + " " + q);
            case 13:
                return line(pick("stats", "version", "flush_all_expired", "STATS"));
            case 14:
                return line("dump_stats" + (random.nextBoolean() ? "" : " " + q));
            case 15:
                return line("monitor " + q + " " + random.nextInt(2) + (random.nextBoolean() ? "" : " " + random.nextInt(3)));
            case 16:
                return line("confirm " + q + " " + random.nextInt(3));
            case 17:
                return line("status");
            case 18:
                if (destructive) {
                    return line(pick("flush_all", "flush_all noreply", "status up", "status readonly", "shutdown"));
                }
                return line("version");
            case 19:
                return line(pick("incr " + q + " 1", "touch " + q + " 10", "bogus", "", "  ", "verbosity 1"));
            case 20:
                return random.nextInt(20) == 0 ? line("quit") : line("get " + q + "/peek");
            default:
                return line("get " + q + "/t=" + random.nextInt(30) + pick("", "/open", "/close/open", "/peek"));
        }
    }

    /** The request with one to three random mutations. */
    public byte[] mutate(byte[] request) {
        byte[] b = request;
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            b = mutateOnce(b);
        }
        return b;
    }

    /** Bytes that are not a request, or hardly: random bytes, printable noise, protocol-ish tokens. */
    public byte[] garbage() {
        int length = random.nextInt(random.nextInt(10) == 0 ? 3000 : 80);
        StringBuilder s = new StringBuilder();
        switch (random.nextInt(3)) {
            case 0 -> {
                byte[] b = new byte[length];
                random.nextBytes(b);
                return b;
            }
            case 1 -> {
                for (int i = 0; i < length; i++) {
                    s.append((char) (0x20 + random.nextInt(0x5f)));
                }
            }
            default -> {
                while (s.length() < length) {
                    s.append(random.nextBoolean() ? pick(VERBS) : pick(NUMBERS)).append(pick(ODD_BYTES));
                }
            }
        }
        if (random.nextBoolean()) {
            s.append("\r\n");
        }
        return bytes(s.toString());
    }

    // ---- pieces

    private byte[] storage(String verb, String key, String extra) {
        byte[] data = data();
        String line = verb + " " + key + " " + flags() + " " + exptime() + " " + data.length + extra
                + (random.nextInt(6) == 0 ? " noreply" : "") + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(line));
        out.writeBytes(data);
        out.writeBytes(bytes("\r\n"));
        return out.toByteArray();
    }

    private byte[] data() {
        int kind = random.nextInt(10);
        int length = kind == 0 ? 0 : kind < 8 ? random.nextInt(40) : random.nextInt(2000);
        byte[] b = new byte[length];
        if (random.nextBoolean()) {
            random.nextBytes(b); // any bytes, CR and LF included
        } else {
            byte[] text = bytes("get q\r\nEND\r\nset x 0 0 1\r\n");
            for (int i = 0; i < length; i++) {
                b[i] = text[random.nextInt(text.length)];
            }
        }
        return b;
    }

    private String getKey(String q) {
        StringBuilder key = new StringBuilder(q);
        int options = random.nextInt(3);
        for (int i = 0; i < options; i++) {
            key.append('/').append(pick("open", "close", "peek", "abort", "t=" + random.nextInt(25)));
        }
        return key.toString();
    }

    private String flags() {
        return random.nextInt(4) == 0 ? String.valueOf(random.nextInt() & 0x7fffffff) : String.valueOf(random.nextInt(4));
    }

    private String exptime() {
        return pick("0", "0", "0", "3600", "-1", "1", String.valueOf(2_000_000_000L));
    }

    private String queue() {
        return queues.get(random.nextInt(queues.size()));
    }

    private byte[] mutateOnce(byte[] b) {
        if (b.length == 0) {
            return bytes(pick(ODD_BYTES));
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(10)) {
            case 0: { // flip a byte
                byte[] c = b.clone();
                c[at] = (byte) random.nextInt(256);
                return c;
            }
            case 1: // insert an odd byte or token
                return splice(b, at, at, bytes(random.nextBoolean() ? pick(ODD_BYTES) : " " + pick(NUMBERS)));
            case 2: { // drop a run
                int to = Math.min(b.length, at + 1 + random.nextInt(8));
                return splice(b, at, to, new byte[0]);
            }
            case 3: { // duplicate a run
                int to = Math.min(b.length, at + 1 + random.nextInt(20));
                return splice(b, to, to, java.util.Arrays.copyOfRange(b, at, to));
            }
            case 4: // cut short
                return java.util.Arrays.copyOf(b, at);
            case 5: // replace a number (a length, flags, a timeout) with an odd one
                return replaceNumber(b);
            case 6: { // swap two tokens of the first line
                String text = new String(b, StandardCharsets.ISO_8859_1);
                int nl = text.indexOf('\n');
                String first = nl < 0 ? text : text.substring(0, nl);
                String[] t = first.split(" ", -1);
                if (t.length >= 2) {
                    int i = random.nextInt(t.length);
                    int j = random.nextInt(t.length);
                    String tmp = t[i];
                    t[i] = t[j];
                    t[j] = tmp;
                }
                return bytes(String.join(" ", t) + (nl < 0 ? "" : text.substring(nl)));
            }
            case 7: // change the case of the command
                return bytes(new String(b, StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT));
            case 8: // another verb
                return bytes(pick(VERBS) + new String(b, StandardCharsets.ISO_8859_1).replaceFirst("^[^ \\r\\n]*", ""));
            default: // a valid request glued in the middle
                return splice(b, at, at, validRequest());
        }
    }

    private byte[] replaceNumber(byte[] b) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+").matcher(text);
        java.util.List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return b;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        String number = text.substring(s[0], s[1]);
        String replacement = random.nextBoolean() ? pick(NUMBERS)
                : String.valueOf(Long.parseLong(number.length() > 18 ? "0" : number) + (random.nextBoolean() ? 1 : -1));
        return bytes(text.substring(0, s[0]) + replacement + text.substring(s[1]));
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }

    private byte[] line(String s) {
        return bytes(s + (random.nextInt(10) == 0 ? "\n" : "\r\n"));
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
