package io.darner.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small value types of the package and the tokenizer and number parsing under the line parser. */
class ProtocolValuesTest {

    @Test
    void protocolErrorFactories() {
        assertEquals(new ProtocolError("CLIENT_ERROR bad flags", false), ProtocolError.client("bad flags", false));
        assertEquals(new ProtocolError("SERVER_ERROR disk full", true), ProtocolError.server("disk full", true));
    }

    @Test
    void plainGetKey() {
        GetKey k = GetKey.plain("q");
        assertEquals(new GetKey("q", "q", -1, false, false, false, false), k);
        assertTrue(k.plainTake());
        assertTrue(new GetKey("q", "q", 500, false, false, false, false).plainTake(), "a wait is still a take");
        assertFalse(new GetKey("q", "q", -1, true, false, false, false).plainTake());
        assertFalse(new GetKey("q", "q", -1, false, true, false, false).plainTake());
        assertFalse(new GetKey("q", "q", -1, false, false, true, false).plainTake());
        assertFalse(new GetKey("q", "q", -1, false, false, false, true).plainTake());
    }

    @Test
    void tokensSplitOnRunsOfSpacesOnly() {
        assertArrayEquals(new String[] {"get", "a", "b"}, LineParser.tokens("  get   a b  "));
        assertArrayEquals(new String[] {"get\ta"}, LineParser.tokens("get\ta"));
        assertArrayEquals(new String[0], LineParser.tokens(""));
        assertArrayEquals(new String[0], LineParser.tokens("    "));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "007, 7", "4294967295, 4294967295", "999999999999999999, 999999999999999999",
            "1000000000000000000, -1", "'', -1", "-1, -1", "+1, -1", "1a, -1", "' 1', -1", "1.0, -1"})
    void parseDecimal(String text, long expected) {
        assertEquals(expected, LineParser.parseDecimal(text));
    }

    @Test
    void dataEndIsOneValue() {
        assertEquals(DataEnd.INSTANCE, new DataEnd());
    }
}
