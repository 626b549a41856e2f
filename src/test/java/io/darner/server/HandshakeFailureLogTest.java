package io.darner.server;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeFailureLogTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HandshakeFailureLog log = new HandshakeFailureLog(60_000, now::get);

    @Test
    void oncePerAddressPerPeriodWithTheCountLeftOut() {
        assertNotNull(log.admit("10.0.0.1", "bad certificate"));
        assertNotNull(log.admit("10.0.0.2", "bad certificate"), "another address is logged");
        for (int i = 0; i < 5; i++) {
            now.addAndGet(1000);
            assertNull(log.admit("10.0.0.1", "bad certificate"));
        }
        now.addAndGet(60_000);
        assertEquals("TLS handshake with 10.0.0.1 failed: bad certificate (5 more failed from that address since it "
                + "was last logged)", log.admit("10.0.0.1", "bad certificate"));
        assertNull(log.admit("10.0.0.1", "bad certificate"));
    }

    @Test
    void rememberedAddressesAreBounded() {
        for (int i = 0; i < HandshakeFailureLog.MAX_ADDRESSES; i++) {
            assertNotNull(log.admit("a" + i, "x"));
        }
        assertNull(log.admit("one too many", "x"), "counted, not logged, while every address is within its period");
        now.addAndGet(60_000);
        String line = log.admit("one too many", "x");
        assertNotNull(line);
        assertTrue(line.contains("1 failures from other addresses not logged"), line);
        assertEquals(1, log.addressesRemembered(), "the expired ones were forgotten");
    }

    @Test
    void reasonsPointAtTheCause() {
        assertTrue(HandshakeFailureLog.reason(new DecoderException(new NotSslRecordException("not an SSL/TLS record: 736574")))
                .contains("plaintext"));
        assertEquals("Empty client certificate chain",
                HandshakeFailureLog.reason(new DecoderException(new SSLHandshakeException("Empty client certificate chain"))));
        assertTrue(HandshakeFailureLog.isHangUp(new java.nio.channels.ClosedChannelException()));
    }
}
