package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestsTest {
    private final Payload payload = new Payload(30);
    private final Requests requests = new Requests("jobs", payload);

    @Test
    void setIsTheCommandLineTheItemAndCrlf() {
        String set = new String(Wire.bytes(requests.set(new ItemId(1, 2, 3))), StandardCharsets.US_ASCII);
        assertEquals("set jobs 0 0 30\r\n00000001:000002:00000003:cdefg\r\n", set);
    }

    @Test
    void buffersAreReusedForTheNextSet() {
        requests.set(new ItemId(1, 2, 3));
        String set = new String(Wire.bytes(requests.set(new ItemId(1, 2, 4))), StandardCharsets.US_ASCII);
        assertEquals("set jobs 0 0 30\r\n00000001:000002:00000004:defgh\r\n", set);
    }

    @Test
    void getIsTheCommandLine() {
        assertEquals("get jobs\r\n", new String(Wire.bytes(requests.get()), StandardCharsets.US_ASCII));
        assertEquals("get jobs\r\n", new String(Wire.bytes(requests.get()), StandardCharsets.US_ASCII));
    }
}
