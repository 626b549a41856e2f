package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptTest {

    @Test
    void sharesSpreadTheRemainderOverTheFirstConnections() {
        assertEquals(List.of(4, 3, 3), List.of(Script.share(10, 3, 0), Script.share(10, 3, 1), Script.share(10, 3, 2)));
        assertEquals(0, Script.share(2, 3, 2));
    }

    @Test
    void phasesMakeOnlyTheirKindOfRequest() {
        Script script = new Script(2, 1);
        assertEquals(List.of(Op.SET, Op.SET), drain(script, Phase.Kind.SET));
        assertEquals(List.of(Op.GET), drain(script, Phase.Kind.GET));
        assertEquals(List.of(), drain(script, Phase.Kind.MIXED));
    }

    @Test
    void interleavedAlternatesThenFinishesWhatIsLeft() {
        assertEquals(List.of(Op.SET, Op.GET, Op.SET, Op.GET, Op.SET, Op.SET), drain(new Script(4, 2), Phase.Kind.MIXED));
        assertEquals(List.of(Op.SET, Op.GET, Op.GET, Op.GET), drain(new Script(1, 3), Phase.Kind.MIXED));
    }

    @Test
    void aRetriedGetIsMadeAgainAndEndingGetsLeavesTheSets() {
        Script script = new Script(1, 1);
        assertEquals(Op.GET, script.next(Phase.Kind.GET));
        script.retryGet();
        assertEquals(2, script.left());
        assertEquals(Op.GET, script.next(Phase.Kind.GET));
        assertEquals(1, script.left());
        script.endGets();
        assertEquals(List.of(Op.SET), drain(script, Phase.Kind.MIXED));
    }

    private static List<Op> drain(Script script, Phase.Kind phase) {
        List<Op> ops = new ArrayList<>();
        for (Op op; (op = script.next(phase)) != null; ) {
            ops.add(op);
        }
        return ops;
    }
}
