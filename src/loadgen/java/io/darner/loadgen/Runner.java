package io.darner.loadgen;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/** Runs one load test: opens the connections, takes them through the phases, adds up the statistics. */
final class Runner {
    private final Options options;

    Runner(Options options) {
        this.options = options;
    }

    /** Event loop threads: as asked, but never more than there are connections. */
    static int threads(Options options) {
        return Math.min(options.threads(), options.connections());
    }

    RunResult run() throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(options.host());
        }
        int runId = ThreadLocalRandom.current().nextInt();
        Ledger ledger = options.target() == Options.Target.QUEUE
                ? new Ledger(runId, IntStream.range(0, options.connections()).map(options::setsOf).toArray())
                : null;
        SSLContext tls;
        try {
            tls = options.tlsAuthority() == null ? null : TlsChannel.trusting(options.tlsAuthority());
        } catch (GeneralSecurityException e) {
            throw new IOException("--tls " + options.tlsAuthority() + ": " + e.getMessage(), e);
        }
        RunContext context = new RunContext(options, address, runId, new Payload(options.itemSize()), ledger,
                new ErrorLog(), new CountDownLatch(options.producers()), new Deadline(options.durationNanos()), tls);

        List<Phase.Kind> kinds = new ArrayList<>();
        kinds.add(Phase.Kind.CONNECT);
        kinds.addAll(options.workPhases());
        EventLoop[] loops = new EventLoop[threads(options)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(i, kinds.size());
        }
        for (int c = 0; c < options.connections(); c++) {
            EventLoop loop = loops[c % loops.length];
            loop.add(new Connection(c, loop, context));
        }

        long[] elapsed = new long[kinds.size()];
        for (EventLoop loop : loops) {
            loop.start();
        }
        try {
            for (int p = 0; p < kinds.size(); p++) {
                if (p == 1) {
                    context.deadline().start();
                }
                elapsed[p] = runPhase(new Phase(kinds.get(p), p, options.connections()), loops);
            }
        } finally {
            for (EventLoop loop : loops) {
                loop.stop();
            }
        }

        List<PhaseResult> phases = new ArrayList<>();
        for (int p = 0; p < kinds.size(); p++) {
            PhaseStats sum = new PhaseStats();
            for (EventLoop loop : loops) {
                sum.add(loop.stats(p));
            }
            phases.add(new PhaseResult(kinds.get(p), sum, elapsed[p]));
        }
        return new RunResult(options, loops.length, phases, context.errors().messages(),
                ledger == null ? 0 : ledger.stale());
    }

    /** Starts a phase on every loop and waits for every connection to finish it; returns the nanoseconds taken. */
    private static long runPhase(Phase phase, EventLoop[] loops) throws InterruptedException {
        long start = System.nanoTime();
        for (EventLoop loop : loops) {
            loop.begin(phase);
        }
        while (!phase.await(100)) {
            for (EventLoop loop : loops) {
                if (!loop.isAlive()) {
                    throw new IllegalStateException("an event loop thread died; see its stack trace");
                }
            }
        }
        return System.nanoTime() - start;
    }
}
