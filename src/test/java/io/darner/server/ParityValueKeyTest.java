package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.MemcacheClient.Item;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With {@code darner.value-key=queue} a {@code VALUE} line names the bare queue, as Kestrel's does. */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityValueKeyTest extends ParityTestBase {

    @Test
    void aGetWithOptionsIsAnsweredWithTheBareQueueName() throws Exception {
        fill(q, "a", "b", "c");
        MemcacheClient c = connect();
        for (String key : List.of(q + "/t=500/open", q + "/close/open", q + "/peek")) {
            c.send("get " + key + "\r\n");
            assertEquals(q, c.readItem().key(), key);
        }
        assertEquals("END", c.call("get " + q + "/close"));
        c.send("get " + q + "/t=100\r\n");
        assertEquals(q, c.readItem().key());
    }

    @Test
    void aMultiKeyGetNamesEachQueue() throws Exception {
        String a = q + ".a";
        String b = q + ".b";
        fill(a, "a1");
        fill(b, "b1");
        MemcacheClient c = connect();
        c.send("get " + a + " " + b + "\r\n");
        assertEquals(List.of(a, b), c.readItems().stream().map(Item::key).toList());
    }
}
