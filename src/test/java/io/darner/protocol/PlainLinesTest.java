package io.darner.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link PlainLines} reads the common lines itself, and whatever it makes of a line is exactly what
 * {@link LineParser} makes of it: checked over lines built from valid and broken pieces, in a
 * buffer with bytes around the line.
 */
class PlainLinesTest {
    private static final int MAX_ITEM = 1000;
    private static final List<String> VERBS = List.of("get", "set", "gets", "GET", "Set", "sett", "ge", "delete");
    private static final List<String> NAMES = List.of("q", "jobs", "Q.1", "x:y@z", "a_b-c", "a".repeat(250),
            "a".repeat(251), ".", "..", "...", "a+b", "a/open", "q/sync", "", "a\u00e9", "a\tb");
    private static final List<String> NUMBERS = List.of("0", "1", "5", "1000", "1001", "007", "4294967295",
            "4294967296", "-1", "-", "-0", "1e3", "123456789012345678", "1234567890123456789", "");
    private static final List<String> SEPARATORS = List.of(" ", " ", " ", "  ");
    private static final List<String> ENDINGS = List.of("", "", " noreply", " noreplyx", " ", " NOREPLY", " x");

    @Test
    void whatItReadsIsWhatTheLineParserReads() {
        Random random = new Random(20_261_203L);
        int read = 0;
        for (int i = 0; i < 1_000_000; i++) {
            String line = randomLine(random);
            PlainLines plain = new PlainLines(MAX_ITEM);
            Request fast = parse(plain, line);
            if (fast != null) {
                read++;
                assertEquals(LineParser.parse(line, MAX_ITEM).event(), fast, line);
            }
        }
        assertEquals(true, read > 2_000, "many random lines are plain: " + read);
    }

    @Test
    void theCommonLinesAreReadAndTheOthersLeftToTheLineParser() {
        PlainLines plain = new PlainLines(MAX_ITEM);
        assertEquals(new Request.Get(List.of(GetKey.plain("jobs"))), parse(plain, "get jobs"));
        assertEquals(new Request.Set("jobs", false, 7, -3, 1000, true, 0), parse(plain, "set jobs 7 -3 1000 noreply"));
        assertEquals(new Request.Set("jobs", false, 0, 0, 0, false, 0), parse(plain, "set jobs 0 0 0"));
        for (String other : List.of("get jobs/open", "gets jobs", "GET jobs", "get a b", "get  jobs", "get jobs ",
                "set jobs/sync 0 0 5", "set jobs 0 0 1001", "set a+b 0 0 5", "set jobs 0 0", "set . 0 0 5", "get ..")) {
            assertNull(parse(plain, other), other);
        }
    }

    @Test
    void aRepeatedQueueNameIsTheSameString() {
        PlainLines plain = new PlainLines(MAX_ITEM);
        Request.Set first = (Request.Set) parse(plain, "set jobs 0 0 5");
        Request.Get second = (Request.Get) parse(plain, "get jobs");
        assertSame(first.queue(), second.single().queue());
        assertEquals("other", ((Request.Get) parse(plain, "get other")).single().queue());
    }

    /** Parses {@code line} from the middle of a buffer, between bytes that are not part of it. */
    private static Request parse(PlainLines plain, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
        byte[] buf = new byte[bytes.length + 6];
        buf[0] = 'x';
        buf[1] = ' ';
        buf[2] = '9';
        System.arraycopy(bytes, 0, buf, 3, bytes.length);
        buf[3 + bytes.length] = '\r';
        buf[4 + bytes.length] = '\n';
        buf[5 + bytes.length] = 's';
        return plain.parse(buf, 3, 3 + bytes.length);
    }

    private static String randomLine(Random random) {
        StringBuilder b = new StringBuilder(pick(random, VERBS));
        // mostly the token counts of a get (a name) and a set (a name and three numbers)
        int tokens = random.nextInt(3) == 0 ? random.nextInt(6) : random.nextBoolean() ? 1 : 4;
        b.append(pick(random, SEPARATORS)).append(pick(random, NAMES));
        for (int t = 1; t < tokens; t++) {
            b.append(pick(random, SEPARATORS)).append(pick(random, NUMBERS));
        }
        return b.append(pick(random, ENDINGS)).toString();
    }

    private static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
