package io.darner.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image definition (the Quarkus convention, {@code src/main/docker/Dockerfile.jvm})
 * against the application and the manifests that run it. No image is built here (that needs a
 * container engine): these are the mismatches that would only show in a cluster.
 */
class ImageDefinitionTest {
    static final Path FILE = Path.of("src/main/docker/Dockerfile.jvm");
    /** Words that name one architecture, in image references, paths, node selectors. */
    static final java.util.regex.Pattern ARCHITECTURE =
            java.util.regex.Pattern.compile("(?i)amd64|x86_64|x86-64|aarch64|arm64|ppc64le|s390x|kubernetes\\.io/arch");

    private static Dockerfile dockerfile;
    private static Map<String, String> env;
    private static Manifests manifests;

    @BeforeAll
    static void load() throws IOException {
        dockerfile = Dockerfile.read(FILE);
        env = dockerfile.env();
        manifests = Manifests.load();
    }

    @Test
    void itCopiesTheFourPartsOfTheQuarkusFastJar() {
        List<String> sources = dockerfile.all("COPY").stream().map(args -> args.split("\\s+")).map(a -> a[a.length - 2]).toList();
        assertEquals(List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/"), sources);
        assertTrue(dockerfile.last("FROM").startsWith("registry.access.redhat.com/ubi9/openjdk-17-runtime:"),
                "the Quarkus base image for Java 17, which has bash for the hooks of deploy/");
    }

    /**
     * One definition for every platform: a base image published for amd64 and arm64 (and ppc64le,
     * s390x), taken by tag, never with {@code --platform} or a digest (which names one platform's
     * image), and no instruction that names an architecture.
     */
    @Test
    void nothingPinsTheImageToOneArchitecture() {
        for (String from : dockerfile.all("FROM")) {
            assertFalse(from.contains("--platform") || from.contains("@sha256:"), "FROM " + from);
        }
        for (String args : dockerfile.allArguments()) {
            assertFalse(ARCHITECTURE.matcher(args).find(), "names an architecture: " + args);
        }
    }

    @Test
    void itRunsAsANonRootUser() {
        String user = dockerfile.last("USER");
        assertFalse(Set.of("root", "0").contains(user.split(":")[0]), "USER " + user);
        assertEquals(user.split(":")[0], manifests.podSpec().getSecurityContext().getRunAsUser().toString(),
                "the manifests run the image's user");
    }

    @Test
    void theDataDirectoryIsAVolumeWhereTheManifestsMountOne() {
        assertEquals(env.get("DARNER_DATA_DIR"), dockerfile.last("VOLUME"));
        assertEquals(manifests.env("DARNER_DATA_DIR"), env.get("DARNER_DATA_DIR"));
    }

    @Test
    void itServesBothPortsOnEveryInterface() {
        int memcache = manifests.containerPort(ManifestTest.MEMCACHE_PORT);
        int admin = manifests.containerPort(ManifestTest.ADMIN_PORT);
        assertEquals(Set.of(Integer.toString(memcache), Integer.toString(admin)), Set.of(dockerfile.last("EXPOSE").split("\\s+")));
        assertEquals(Integer.toString(memcache), env.get("DARNER_PORT"));
        assertEquals(Integer.toString(admin), env.get("QUARKUS_HTTP_PORT"));
        assertEquals("0.0.0.0", env.get("DARNER_HOST"));
        assertEquals("0.0.0.0", env.get("QUARKUS_HTTP_HOST"));
    }

    @Test
    void itStartsTheServerWithTheJvmFlagsTheManifestsUse() {
        String entrypoint = dockerfile.last("ENTRYPOINT");
        assertTrue(entrypoint.contains("exec java ${JAVA_OPTS} -jar /deployments/quarkus-run.jar"),
                "java, as PID 1 to get the SIGTERM, with JAVA_OPTS: " + entrypoint);
        assertEquals(manifests.env("JAVA_OPTS"), env.get("JAVA_OPTS"), "the image's defaults are the manifests' flags");
        assertEquals(manifests.env("MALLOC_ARENA_MAX"), env.get("MALLOC_ARENA_MAX"));
    }
}
