package io.darner.loadgen;

import java.nio.file.Path;
import java.util.Locale;

/** Reads {@link Options} from the command line; {@link #USAGE} describes every option. */
final class OptionParser {
    static final String USAGE = """
            usage: LoadGen [options]
              -h HOST           server host (default 127.0.0.1)
              -p PORT           server port (default 22133)
              -c N              concurrent connections (default 10)
              -s N              total sets, spread over the connections (default 100000)
              -g N              total gets, spread over the connections (default 100000)
              -i BYTES          item size, at least %d (default 64)
              -q NAME           queue name (default bench)
              -m MODE           phased: all sets, then all gets (default);
                                interleaved: each connection alternates set and get;
                                split: producers only set while consumers only get, at the same time
              --producers N     split mode: the first N connections are producers (default: half)
              --queues N        spread the connections round-robin over N queues NAME_0..NAME_N-1 (default 1: NAME)
              --cycle K         each connection cycles over a group of K of those queues (default 1)
              --get-options O   options after the queue name of every get, of t=MS, open, close:
                                /t=500/close/open is the reliable-consumer loop (default: none)
              --target KIND     queue: verify each item is this run's, delivered once, FIFO per producer (default);
                                memcached: a cache overwriting one key, verify format, length and content only
              --timeout SECS    fail a connection that waits longer than this for a connect or a reply (default 10)
              --duration SECS   make no new request this long after the work began; the rest is left undone
                                (default: none, every request of -s and -g is made)
              --threads N       selector threads (default: the number of processors)
              --tls CA_PEM      connect over TLS, trusting the authority whose certificate is in CA_PEM
                                (the server's certificate must name HOST); the handshake is part of connecting
              --label TEXT      label for the RESULT line (default -)
              --help            print this and exit
            """.formatted(Payload.HEADER_SIZE);

    private final String[] args;
    private int next;

    private OptionParser(String[] args) {
        this.args = args;
    }

    static Options parse(String... args) throws UsageException {
        return new OptionParser(args).parse();
    }

    private Options parse() throws UsageException {
        String host = "127.0.0.1";
        int port = 22133;
        int connections = 10;
        long sets = 100_000;
        long gets = 100_000;
        int itemSize = 64;
        String queue = "bench";
        int queues = 1;
        Options.Mode mode = Options.Mode.PHASED;
        Options.Target target = Options.Target.QUEUE;
        double timeout = 10;
        double duration = 0;
        String label = "-";
        int threads = Runtime.getRuntime().availableProcessors();
        int producers = 0;
        int cycle = 1;
        GetOptions getOptions = GetOptions.NONE;
        Path tlsAuthority = null;
        while (next < args.length) {
            String option = args[next++];
            switch (option) {
                case "-h" -> host = value(option);
                case "-p" -> port = (int) number(option, 1, 65535);
                case "-c" -> connections = (int) number(option, 1, 1 << 24);
                case "-s" -> sets = number(option, 0, Long.MAX_VALUE);
                case "-g" -> gets = number(option, 0, Long.MAX_VALUE);
                case "-i" -> itemSize = (int) number(option, Payload.HEADER_SIZE, 1 << 30);
                case "-q" -> queue = queueName(value(option));
                case "-m" -> mode = choice(option, Options.Mode.class);
                case "--queues" -> queues = (int) number(option, 1, 1 << 24);
                case "--target" -> target = choice(option, Options.Target.class);
                case "--timeout" -> timeout = seconds(option);
                case "--duration" -> duration = seconds(option);
                case "--threads" -> threads = (int) number(option, 1, 1024);
                case "--label" -> label = value(option);
                case "--producers" -> producers = (int) number(option, 1, 1 << 24);
                case "--cycle" -> cycle = (int) number(option, 1, 1 << 24);
                case "--get-options" -> getOptions = GetOptions.parse(value(option));
                case "--tls" -> tlsAuthority = Path.of(value(option));
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (mode == Options.Mode.SPLIT) {
            producers = producers == 0 ? Math.max(1, connections / 2) : producers;
            if (producers >= connections) {
                throw new UsageException("split mode needs at least one consumer: --producers below -c");
            }
        } else if (producers != 0) {
            throw new UsageException("--producers needs -m split");
        }
        if (queues % cycle != 0) {
            throw new UsageException("--queues must be a multiple of --cycle");
        }
        if (target == Options.Target.MEMCACHED && getOptions != GetOptions.NONE) {
            throw new UsageException("--get-options needs --target queue");
        }
        // Sequence numbers of one connection are ints (8 hex digits in the item header).
        int setters = mode == Options.Mode.SPLIT ? producers : connections;
        int getters = connections - (mode == Options.Mode.SPLIT ? producers : 0);
        if (sets / setters >= Integer.MAX_VALUE || gets / getters >= Integer.MAX_VALUE) {
            throw new UsageException("more than " + Integer.MAX_VALUE + " requests per connection");
        }
        return new Options(host, port, connections, sets, gets, itemSize, queue, queues, mode, target,
                timeout, label, threads, producers, cycle, getOptions, duration, tlsAuthority);
    }

    private String value(String option) throws UsageException {
        if (next == args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[next++];
    }

    private long number(String option, long min, long max) throws UsageException {
        String text = value(option);
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " wants a whole number from " + min + " to " + max + ", not " + text);
    }

    private double seconds(String option) throws UsageException {
        String text = value(option);
        try {
            double s = Double.parseDouble(text);
            if (s > 0 && s <= 86_400) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " wants seconds above 0 and at most 86400, not " + text);
    }

    private <E extends Enum<E>> E choice(String option, Class<E> type) throws UsageException {
        String text = value(option);
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown " + option + " value " + text);
        }
    }

    /** A name that fits on a request line as one token: 1 to 250 printable ASCII bytes, no spaces. */
    private static String queueName(String name) throws UsageException {
        if (name.isEmpty() || name.length() > 250 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new UsageException("queue name must be 1 to 250 printable ASCII characters without spaces");
        }
        return name;
    }
}
