package io.darner.loadgen;

/** The requests one connection makes: its share of the sets and gets, in the order the phase asks. */
final class Script {
    private int setsLeft;
    private int getsLeft;
    private boolean lastWasSet;

    Script(int sets, int gets) {
        this.setsLeft = sets;
        this.getsLeft = gets;
    }

    /** Connection {@code index}'s share of {@code total} requests spread over {@code parts} connections. */
    static int share(long total, int parts, int index) {
        return (int) (total / parts + (index < total % parts ? 1 : 0));
    }

    /** The next request to make in this phase, or null if this connection's part of it is done. */
    Op next(Phase.Kind phase) {
        return switch (phase) {
            case SET -> setsLeft > 0 ? take(Op.SET) : null;
            case GET -> getsLeft > 0 ? take(Op.GET) : null;
            // Alternate while both are left, then finish whichever remains.
            case MIXED -> setsLeft > 0 && (!lastWasSet || getsLeft == 0) ? take(Op.SET)
                    : getsLeft > 0 ? take(Op.GET) : null;
            case CONNECT -> null;
        };
    }

    /** Requests of this connection's share not made yet. */
    int left() {
        return setsLeft + getsLeft;
    }

    /** The last get does not count toward the share (in split mode a consumer's share is items taken). */
    void retryGet() {
        getsLeft++;
    }

    /** Makes no more gets. */
    void endGets() {
        getsLeft = 0;
    }

    /** Makes no more requests. */
    void end() {
        setsLeft = 0;
        getsLeft = 0;
    }

    private Op take(Op op) {
        if (op == Op.SET) {
            setsLeft--;
        } else {
            getsLeft--;
        }
        lastWasSet = op == Op.SET;
        return op;
    }
}
