package io.darner.server;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The process's file descriptors: how many are open, how many it may open (-1 where unknown). */
final class FileDescriptors {
    private FileDescriptors() {}

    /** Counting needs a descriptor itself (it lists /proc/self/fd): -1 when there is none to spare. */
    static long open() {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
        } catch (RuntimeException | InternalError e) {
            return -1;
        }
    }

    static long max() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    static String describe() {
        long max = max();
        long open = open();
        return max < 0 ? "file descriptors unknown"
                : open < 0 ? "all " + max + " file descriptors open" : open + " of " + max + " file descriptors open";
    }
}
