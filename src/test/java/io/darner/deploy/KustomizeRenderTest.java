package io.darner.deploy;

import io.darner.testing.Executables;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@code kubectl apply -k deploy/} would send, rendered by {@code kubectl kustomize} where
 * kubectl is on the PATH (skipped elsewhere): every resource, and the generated Secret and
 * ConfigMap, whose names get a hash suffix, referred to by those names.
 */
class KustomizeRenderTest {

    @Test
    void kubectlKustomizeRendersEveryResourceAndRefersToTheGeneratedOnes() throws Exception {
        Path kubectl = Executables.onPath("kubectl").orElse(null);
        assumeTrue(kubectl != null, "kubectl is not on the PATH");
        Executables.Result result = Executables.run(List.of(kubectl.toString(), "kustomize", Manifests.DEPLOY.toString()), Map.of(), 60);
        assertTrue(result.ok(), "kubectl kustomize: " + result);

        List<HasMetadata> rendered = Manifests.parseAll(result.stdout());
        Manifests manifests = Manifests.load();
        assertEquals(manifests.byFile().size() + manifests.kustomization().generatedCount(), rendered.size(),
                "rendered resources: " + rendered.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList());

        PodSpec pod = only(rendered, StatefulSet.class).getSpec().getTemplate().getSpec();
        String secret = only(rendered, Secret.class).getMetadata().getName();
        String configMap = only(rendered, ConfigMap.class).getMetadata().getName();
        assertEquals(secret, pod.getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("DARNER_ADMIN_TOKEN")).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef().getName(), "the token's secret as rendered");
        assertTrue(pod.getVolumes().stream().map(Volume::getConfigMap).filter(Objects::nonNull)
                .anyMatch(c -> c.getName().equals(configMap)), "the hooks' config map as rendered");
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> resources, Class<T> kind) {
        List<T> found = resources.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertEquals(1, found.size(), "rendered resources of kind " + kind.getSimpleName());
        return found.get(0);
    }
}
