package io.darner.server;

import io.darner.queue.QueueRepository;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;

/**
 * The end of an event loop's pass over its ready connections, run as a task of the loop once the
 * pass has read them all: the small puts their sets made wait until then
 * ({@link io.darner.storage.PendingPuts}), so that they are written in one batch, and a get on
 * another connection in the same pass takes an item that then is never written at all. Then the
 * replies that waited for the batch go out (after {@link #MAX_WAITING_OUTPUTS} connections at the
 * latest). One per event loop; on it only.
 */
final class PassEnd implements Runnable {
    /**
     * Connections whose replies may wait at once: a pass over thousands of ready connections ends
     * early here, for the replies of its first connections would otherwise wait for the last.
     */
    static final int MAX_WAITING_OUTPUTS = 64;
    private static final FastThreadLocal<PassEnd> OF_THIS_LOOP = new FastThreadLocal<>();

    private final EventExecutor loop;
    /** The repositories whose puts wait (one, but for tests that run several servers). */
    private final ArrayList<QueueRepository> repos = new ArrayList<>(1);
    private final ArrayList<ReplyOutput> outputs = new ArrayList<>();
    private boolean scheduled;
    private boolean running;

    private PassEnd(EventExecutor loop) {
        this.loop = loop;
    }

    /** The pass end of the event loop this runs on. */
    static PassEnd ofThisLoop(EventExecutor loop) {
        PassEnd end = OF_THIS_LOOP.get();
        if (end == null) {
            end = new PassEnd(loop);
            OF_THIS_LOOP.set(end);
        }
        return end;
    }

    /** {@code repo}'s waiting puts are written at the end of this pass. */
    void write(QueueRepository repo) {
        if (!repos.contains(repo)) {
            repos.add(repo);
        }
        if (!scheduled) {
            scheduled = true;
            loop.execute(this);
        }
    }

    /** {@code output}, whose replies wait for {@code repo}'s puts, is written after them. */
    void flush(ReplyOutput output, QueueRepository repo) {
        if (!output.atPassEnd) {
            output.atPassEnd = true;
            outputs.add(output);
        }
        write(repo);
        if (outputs.size() >= MAX_WAITING_OUTPUTS) {
            run();
        }
    }

    @Override
    public void run() {
        if (running) {
            return; // a write below let a connection answer again (it drained): the loop below takes it
        }
        running = true;
        try {
            scheduled = false;
            do {
                for (int i = 0; i < repos.size(); i++) {
                    repos.get(i).writePendingPuts();
                    repos.get(i).settleLostPuts();
                }
                repos.clear();
                for (int i = 0; i < outputs.size(); i++) { // by index: a drained connection may add one
                    ReplyOutput output = outputs.get(i);
                    output.atPassEnd = false;
                    output.flush();
                }
                outputs.clear();
            } while (!repos.isEmpty());
        } finally {
            running = false;
        }
    }
}
