package io.darner.admin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An item's data for JSON: as text when it is valid UTF-8, else base64. */
record Payload(String encoding, String data) {
    static final String TEXT = "text";
    static final String BASE64 = "base64";

    /**
     * {@code cut}: the bytes are only the start of the item, so a character split at the end is
     * dropped rather than making the whole payload "binary".
     */
    static Payload of(byte[] bytes, boolean cut) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, !cut);
        if (!result.isError() && (cut || !in.hasRemaining())) {
            return new Payload(TEXT, out.flip().toString());
        }
        return new Payload(BASE64, Base64.getEncoder().encodeToString(bytes));
    }
}
