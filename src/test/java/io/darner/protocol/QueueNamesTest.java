package io.darner.protocol;

import static io.darner.protocol.ParserHarness.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec section 2: 1 to 250 bytes of {@code A-Z a-z 0-9 _ - . : @}, optionally {@code +child}. */
class QueueNamesTest {

    static Stream<String> valid() {
        return Stream.of("q", "Q", "0", "jobs", "ABCxyz019", "a_b-c.d:e@f", "...", ".a", "a.", "..a", "_", "@",
                repeat('n', 250), "a+b", "a.+b", "x:1+y@2", repeat('p', 250) + "+" + repeat('c', 250));
    }

    static Stream<String> invalid() {
        return Stream.of("", ".", "..", repeat('n', 251), "a b", "a/b", "a\\b", "a*", "a?", "a#", "a%2F", "a\u00e9",
                "a\u0000", "a\r", "a\t", "a~", "a+", "+b", "+", "a++b", "a+b+c", ".+b", "..+b", "a+..", "a+.",
                repeat('p', 251) + "+c", "p+" + repeat('c', 251));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validName(String name) {
        assertTrue(QueueNames.isValid(name), name);
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidName(String name) {
        assertFalse(QueueNames.isValid(name), name);
    }

    @ParameterizedTest
    @ValueSource(chars = {'_', '-', '.', ':', '@'})
    void everyAllowedPunctuationCharacterWorksAlongsideLetters(char c) {
        assertTrue(QueueNames.isValid("a" + c + "b"));
    }

    @Test
    void onlyTheDocumentedCharactersAreAllowed() {
        for (int code = 0; code < 256; code++) {
            char c = (char) code;
            boolean documented = c < 128 && Character.isLetterOrDigit(c) || "_-.:@".indexOf(c) >= 0
                    || c == '+'; // a+b: the fanout child b of a
            assertEquals(documented, QueueNames.isValid("a" + c + "b"), "character " + code);
        }
    }
}
