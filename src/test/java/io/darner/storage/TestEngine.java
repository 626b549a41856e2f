package io.darner.storage;

import org.junit.jupiter.api.Assumptions;

/**
 * The LevelDB implementation the tests of this run open their stores with: the system property
 * {@value #PROPERTY} ({@code auto}, the default, {@code native} or {@code java}), the setting the
 * server reads, so that one property runs the storage, queue and crash tests on either engine
 * (the build's second test execution sets {@code java}).
 */
public final class TestEngine {
    public static final String PROPERTY = "darner.store-engine";

    private TestEngine() {}

    /** The setting's value in this run. */
    public static String setting() {
        return System.getProperty(PROPERTY, "auto");
    }

    public static StoreEngine chosen() {
        return switch (setting()) {
            case "auto" -> StoreEngine.auto();
            case "native" -> StoreEngine.nativeOnly();
            case "java" -> StoreEngine.javaOnly();
            default -> throw new IllegalArgumentException(PROPERTY + "=" + setting() + ": expected auto, native or java");
        };
    }

    /** Skips the test unless this run's engine is the native one; {@code why} names what only it does. */
    public static void assumeNative(String why) {
        Assumptions.assumeTrue(chosen().kind() == StoreEngine.Kind.NATIVE, "the Java engine " + why);
    }
}
