package io.darner.server;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads classes of a jar at start: every class of the server's own, and those of Netty's channel
 * that closing a connection needs. The packaged application opens its jars again whenever it loads
 * a class it has not loaded yet (Quarkus closes them once started): with no file descriptor left,
 * the first request of a kind not seen before would fail to load its classes and never be answered,
 * and the first connection closed would stay counted, its close left half done. Loaded at start,
 * nothing a request or a close does needs a descriptor for a class.
 */
final class ClassPreloader {
    private static final Logger LOG = Logger.getLogger(ClassPreloader.class);

    private ClassPreloader() {}

    /** Loads the classes of the jar {@code anchor} came from whose entry names start with one of {@code prefixes}. */
    static int preload(Class<?> anchor, String... prefixes) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return 0;
        }
        Path jar;
        try {
            jar = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return 0;
        }
        if (!Files.isRegularFile(jar)) {
            return 0; // classes in a directory (tests, dev mode): nothing is closed under them
        }
        int loaded = 0;
        ClassLoader loader = anchor.getClassLoader();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
                String name = e.getName();
                if (name.endsWith(".class") && startsWithAny(name, prefixes)) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                        loaded++;
                    } catch (ClassNotFoundException | LinkageError notLoadable) {
                        LOG.debugf("not preloaded: %s (%s)", name, notLoadable);
                    }
                }
            }
        } catch (IOException e) {
            LOG.debugf("classes not preloaded: %s", e.getMessage());
        }
        LOG.debugf("preloaded %d classes from %s", loaded, jar);
        return loaded;
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
