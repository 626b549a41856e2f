package io.darner.deploy;

import io.darner.testing.Executables;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The optional component {@code deploy/tls}, rendered by {@code kubectl kustomize} in an overlay
 * as deploy/README.md shows it (skipped where kubectl is missing): TLS on, its registry entry read
 * from the mounted Secret's files, and the rest of the StatefulSet as it was.
 */
class TlsComponentTest {
    private static final Path COMPONENT = Manifests.DEPLOY.resolve("tls");

    @TempDir
    Path overlay;

    @Test
    void theComponentTurnsTlsOnWithTheSecretsFiles() throws Exception {
        Path kubectl = Executables.onPath("kubectl").orElse(null);
        assumeTrue(kubectl != null, "kubectl is not on the PATH");
        Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [" + relative(Manifests.DEPLOY) + "]\n"
                + "components: [" + relative(COMPONENT) + "]\n");
        Executables.Result result = Executables.run(List.of(kubectl.toString(), "kustomize", overlay.toString()), Map.of(), 60);
        assertTrue(result.ok(), "kubectl kustomize: " + result);

        List<HasMetadata> rendered = Manifests.parseAll(result.stdout());
        StatefulSet set = rendered.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
                .findFirst().orElseThrow();
        PodSpec pod = set.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        String entry = env.get("DARNER_TLS_CONFIGURATION_NAME");
        assertEquals("queue", entry);
        String prefix = "QUARKUS_TLS__" + entry.toUpperCase() + "__";

        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals("tls")).findFirst().orElseThrow();
        assertTrue(mount.getReadOnly());
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals("tls")).findFirst().orElseThrow();
        assertEquals("darner-tls", volume.getSecret().getSecretName());
        assertEquals(mount.getMountPath() + "/tls.crt", env.get(prefix + "KEY_STORE_PEM__0__CERT"));
        assertEquals(mount.getMountPath() + "/tls.key", env.get(prefix + "KEY_STORE_PEM__0__KEY"));
        assertEquals(mount.getMountPath() + "/ca.crt", env.get(prefix + "TRUST_STORE_PEM_CERTS"));
        assertEquals(mount.getMountPath(), env.get("DARNER_TLS_DIR"), "where the hooks find the certificate");
        assertEquals("required", env.get("DARNER_TLS_CLIENT_AUTH"));

        StatefulSet base = Manifests.load().one(StatefulSet.class);
        Container baseContainer = base.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(baseContainer.getEnv().size() + 7, container.getEnv().size(), "the base's variables are kept");
        assertEquals(baseContainer.getVolumeMounts().size() + 1, container.getVolumeMounts().size());
        assertEquals(baseContainer.getLifecycle(), container.getLifecycle(), "the hooks as they were");
    }

    private String relative(Path target) {
        return overlay.toAbsolutePath().relativize(target.toAbsolutePath()).toString();
    }
}
