package io.darner.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The load generator, in the style of Darner's {@code db} bench tool: many connections making
 * memcache-protocol sets and gets, every reply verified, throughput and latency reported. A plain
 * {@code main}, no framework. Exit status: 0 if every reply was right, 1 on any error, 2 for a bad
 * command line. {@code --help} lists the options.
 */
public final class LoadGen {
    private LoadGen() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help")) {
            out.print(OptionParser.USAGE);
            return 0;
        }
        Options options;
        try {
            options = OptionParser.parse(args);
        } catch (UsageException e) {
            err.println("loadgen: " + e.getMessage());
            err.print(OptionParser.USAGE);
            return 2;
        }
        Report.printPlan(options, out);
        RunResult result;
        try {
            result = new Runner(options).run();
        } catch (IOException e) {
            err.println("loadgen: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("loadgen: interrupted");
            return 1;
        }
        Report.print(result, out);
        return result.errors() == 0 ? 0 : 1;
    }
}
