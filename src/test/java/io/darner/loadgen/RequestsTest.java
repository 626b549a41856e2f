package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestsTest {
    private final Payload payload = new Payload(30);
    private final Requests requests = new Requests(List.of("jobs", "jobs_2"), GetOptions.NONE, payload);

    @Test
    void setIsTheCommandLineTheItemAndCrlf() {
        assertEquals("set jobs 0 0 30\r\n00000001:000002:00000003:cdefg\r\n", text(requests.set(0, new ItemId(1, 2, 3))));
    }

    @Test
    void buffersAreReusedForTheNextSet() {
        requests.set(0, new ItemId(1, 2, 3));
        assertEquals("set jobs 0 0 30\r\n00000001:000002:00000004:defgh\r\n", text(requests.set(0, new ItemId(1, 2, 4))));
    }

    @Test
    void getIsTheCommandLine() {
        assertEquals("get jobs\r\n", text(requests.get(0)));
        assertEquals("get jobs\r\n", text(requests.get(0)));
    }

    @Test
    void eachSlotNamesItsQueue() {
        assertEquals("get jobs_2\r\n", text(requests.get(1)));
        requests.get(1);
        assertEquals("set jobs_2 0 0 30\r\n00000001:000002:00000003:cdefg\r\n", text(requests.set(1, new ItemId(1, 2, 3))));
    }

    @Test
    void getOptionsFollowTheQueueNameAndCloseIsAlone() throws UsageException {
        Requests reliable = new Requests(List.of("jobs"), GetOptions.parse("/t=500/close/open"), payload);
        assertEquals("get jobs/t=500/close/open\r\n", text(reliable.get(0)));
        assertEquals("get jobs/close\r\n", text(reliable.close(0)));
        assertEquals("get jobs/t=500/close/open\r\n", text(reliable.get(0)));
    }

    private static String text(ByteBuffer[] buffers) {
        return new String(Wire.bytes(buffers), StandardCharsets.US_ASCII);
    }
}
