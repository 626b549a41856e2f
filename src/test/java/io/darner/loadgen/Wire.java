package io.darner.loadgen;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Test helpers: bytes as the server would send them. */
final class Wire {
    private Wire() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The buffers a request is written from, concatenated. */
    static byte[] bytes(ByteBuffer... buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : buffers) {
            byte[] chunk = new byte[b.remaining()];
            b.duplicate().get(chunk);
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    /** The item {@code id} of the given size, exactly as the load generator sets it. */
    static byte[] item(Payload payload, ItemId id) {
        byte[] set = bytes(new Requests(List.of("q"), GetOptions.NONE, payload).set(0, id));
        int start = set.length - 2 - payload.size();
        return Arrays.copyOfRange(set, start, start + payload.size());
    }

    /** A hit: {@code VALUE <q> 0 <n>\r\n<data>\r\nEND\r\n}. */
    static byte[] value(String queue, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("VALUE " + queue + " 0 " + data.length + "\r\n"));
        out.writeBytes(data);
        out.writeBytes(ascii("\r\nEND\r\n"));
        return out.toByteArray();
    }
}
