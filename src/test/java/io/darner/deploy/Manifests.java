package io.darner.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The resources of {@code deploy/}, each file listed in its kustomization loaded with the fabric8
 * Kubernetes model, and the questions the checks ask of them.
 */
final class Manifests {
    static final Path DEPLOY = Path.of("deploy");
    static final String KUSTOMIZATION = "kustomization.yaml";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Kustomization kustomization;
    private final Map<String, HasMetadata> byFile;

    private Manifests(Kustomization kustomization, Map<String, HasMetadata> byFile) {
        this.kustomization = kustomization;
        this.byFile = byFile;
    }

    static Manifests load() throws IOException {
        Kustomization kustomization = Kustomization.read(DEPLOY.resolve(KUSTOMIZATION));
        Map<String, HasMetadata> byFile = new LinkedHashMap<>();
        for (String file : kustomization.resources()) {
            try (InputStream in = Files.newInputStream(DEPLOY.resolve(file))) {
                Object loaded = SERIALIZATION.unmarshal(in);
                if (!(loaded instanceof HasMetadata resource)) {
                    throw new AssertionError(file + " is not one Kubernetes resource: " + loaded);
                }
                byFile.put(file, resource);
            }
        }
        return new Manifests(kustomization, byFile);
    }

    /** Every resource of a multi-document YAML text (what {@code kubectl kustomize} prints). */
    static List<HasMetadata> parseAll(String yaml) {
        Object loaded = SERIALIZATION.unmarshal(yaml);
        if (loaded instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        return List.of((HasMetadata) loaded);
    }

    Kustomization kustomization() {
        return kustomization;
    }

    Map<String, HasMetadata> byFile() {
        return byFile;
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return byFile.values().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> kind) {
        List<T> found = all(kind);
        assertEquals(1, found.size(), "resources of kind " + kind.getSimpleName());
        return found.get(0);
    }

    StatefulSet statefulSet() {
        return one(StatefulSet.class);
    }

    PodSpec podSpec() {
        return statefulSet().getSpec().getTemplate().getSpec();
    }

    Map<String, String> podLabels() {
        return statefulSet().getSpec().getTemplate().getMetadata().getLabels();
    }

    /** The server's container (the pod has no other). */
    Container server() {
        List<Container> containers = podSpec().getContainers();
        assertEquals(1, containers.size(), "containers of the pod");
        return containers.get(0);
    }

    EnvVar envVar(String name) {
        return server().getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the container sets no " + name));
    }

    /** The literal value of an environment variable of the container. */
    String env(String name) {
        EnvVar var = envVar(name);
        assertNull(var.getValueFrom(), name + " is expected as a literal value");
        assertNotNull(var.getValue(), name + " has no value");
        return var.getValue();
    }

    int containerPort(String name) {
        return server().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new AssertionError("the container has no port named " + name));
    }

    /** A port given by number or by the name of a container port, as a number. */
    int resolve(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        if (server().getPorts().stream().noneMatch(p -> port.getStrVal().equals(p.getName()))) {
            fail("no container port is named " + port.getStrVal());
        }
        return containerPort(port.getStrVal());
    }
}
