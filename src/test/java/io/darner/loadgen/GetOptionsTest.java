package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GetOptionsTest {

    @Test
    void theReliableLoopOpensAndCloses() throws UsageException {
        assertEquals(new GetOptions("/t=500/close/open", true, true), GetOptions.parse("/t=500/close/open"));
        assertEquals(new GetOptions("/close/open", true, true), GetOptions.parse("close/open"));
    }

    @Test
    void aWaitAloneNeitherOpensNorCloses() throws UsageException {
        assertEquals(new GetOptions("/t=100", false, false), GetOptions.parse("t=100"));
    }

    @Test
    void emptyIsNone() throws UsageException {
        assertSame(GetOptions.NONE, GetOptions.parse(""));
        assertSame(GetOptions.NONE, GetOptions.parse("/"));
    }

    @Test
    void optionsThatWouldDefeatTheChecksAreRefused() {
        assertRefused("not peek", "/peek");
        assertRefused("not abort", "/close/abort");
        assertRefused("not t=", "/t=");
        assertRefused("not ", "/open//close");
        assertRefused("open needs close", "/t=500/open");
    }

    private static void assertRefused(String message, String text) {
        UsageException e = assertThrows(UsageException.class, () -> GetOptions.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
