package io.darner.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FanoutChildrenTest {

    @Test
    void parentOfAFanoutChild() {
        assertEquals("a", FanoutChildren.parentOf("a+b"));
        assertEquals("orders.v1", FanoutChildren.parentOf("orders.v1+audit"));
        assertNull(FanoutChildren.parentOf("a"));
    }

    @Test
    void childrenComeAndGoSortedByName() {
        FanoutChildren children = new FanoutChildren();
        children.added("a+z");
        children.added("a+b");
        children.added("c");
        assertEquals(java.util.List.of("a+b", "a+z"), children.of("a"));
        children.removed("a+b");
        assertEquals(java.util.List.of("a+z"), children.of("a"));
        assertEquals(java.util.List.of(), children.of("c"));
    }
}
