package io.darner.admin;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PayloadTest {

    @Test
    void validUtf8IsText() {
        assertEquals(new Payload("text", "héllo ✓"), Payload.of("héllo ✓".getBytes(StandardCharsets.UTF_8), false));
        assertEquals(new Payload("text", ""), Payload.of(new byte[0], false));
    }

    @Test
    void anythingElseIsBase64() {
        byte[] binary = {(byte) 0xc3, 0x28, 0};
        assertEquals(new Payload("base64", Base64.getEncoder().encodeToString(binary)), Payload.of(binary, false));
    }

    @Test
    void aCharacterSplitByTheCutIsDroppedNotTakenForBinary() {
        byte[] whole = "aé".getBytes(StandardCharsets.UTF_8); // a, then é in two bytes
        byte[] cut = Arrays.copyOf(whole, 2);
        assertEquals(new Payload("text", "a"), Payload.of(cut, true));
        // the same bytes as a whole item are not valid UTF-8
        assertEquals("base64", Payload.of(cut, false).encoding());
    }
}
