package io.darner.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests of {@code deploy/}, loaded with the fabric8 Kubernetes model, checked for what goes
 * wrong silently: a port, path or directory that does not match the application, a heap that does
 * not fit the memory limit, a selector or policy that misses the pods. Whether the probe paths
 * answer in the running application is {@link ProbeEndpointsTest}; whether the hooks work on a
 * real server is {@code io.darner.fleet.PodHooksIT}; the whole rendering is {@link KustomizeRenderTest}.
 */
class ManifestTest {
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    static final String STARTED = "/q/health/started";
    static final String METRICS = "/q/metrics";
    /** Native memory beside the heap: metaspace, thread stacks, code cache, LevelDB's cache and memtables. */
    static final long NATIVE_ALLOWANCE = 128L << 20;
    /** What the server needs after SIGTERM: answer blocked gets, roll back open reads, close the store. */
    static final int SHUTDOWN_SECONDS = 15;
    static final String MEMCACHE_PORT = "memcache";
    static final String ADMIN_PORT = "admin";

    private static Manifests manifests;
    private static AppProperties app;

    @BeforeAll
    static void load() throws IOException {
        manifests = Manifests.load();
        app = AppProperties.load();
    }

    @Test
    void everyManifestIsInTheKustomizationAndLoadsAsAKnownKubernetesResource() throws IOException {
        try (Stream<Path> files = Files.list(Manifests.DEPLOY)) {
            Set<String> yaml = new HashSet<>(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals(Manifests.KUSTOMIZATION)).toList());
            assertEquals(yaml, Set.copyOf(manifests.kustomization().resources()), "manifests in deploy/ vs. the kustomization's resources");
        }
        manifests.byFile().forEach((file, resource) -> {
            assertNotNull(resource.getMetadata().getName(), file + " names its resource");
            assertEquals(List.of(), UnknownFields.in(resource), file + ": fields the Kubernetes model does not know");
        });
    }

    /** No node selector, affinity or image names an architecture: the pods run on amd64 and arm64 nodes alike. */
    @Test
    void nothingIsPinnedToOneArchitecture() throws IOException {
        try (Stream<Path> files = Files.walk(Manifests.DEPLOY)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                java.util.regex.Matcher m = ImageDefinitionTest.ARCHITECTURE.matcher(Files.readString(f));
                assertFalse(m.find(), () -> f + " names an architecture: " + m.group());
            }
        }
    }

    @Test
    void containerPortsAreTheListenerAndTheHttpPortOfTheApplication() {
        assertEquals(app.port("darner.port"), manifests.containerPort(MEMCACHE_PORT), "memcache port vs. darner.port");
        assertEquals(app.port("quarkus.http.port"), manifests.containerPort(ADMIN_PORT), "admin port vs. quarkus.http.port");
        assertEquals(Integer.toString(manifests.containerPort(MEMCACHE_PORT)), manifests.env("DARNER_PORT"));
        assertEquals(Integer.toString(manifests.containerPort(ADMIN_PORT)), manifests.env("QUARKUS_HTTP_PORT"));
    }

    @Test
    void listenersServeThePodNetwork() {
        assertEquals("0.0.0.0", manifests.env("DARNER_HOST"), "the memcache listener binds loopback by default");
        assertEquals("0.0.0.0", manifests.env("QUARKUS_HTTP_HOST"), "the kubelet probes the pod's address");
    }

    @Test
    void probesCallTheHealthEndpointsOnTheAdminPort() {
        Container server = manifests.server();
        assertProbe(server.getStartupProbe(), STARTED);
        assertProbe(server.getLivenessProbe(), LIVE);
        assertProbe(server.getReadinessProbe(), READY);
    }

    private static void assertProbe(Probe probe, String path) {
        assertNotNull(probe, "a probe on " + path);
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, "an HTTP probe on " + path);
        assertEquals(path, get.getPath());
        assertEquals(manifests.containerPort(ADMIN_PORT), manifests.resolve(get.getPort()), "the port probed for " + path);
    }

    @Test
    void theVolumeOfEachPodIsMountedAtTheDataDirectory() {
        List<PersistentVolumeClaim> claims = manifests.statefulSet().getSpec().getVolumeClaimTemplates();
        assertEquals(1, claims.size(), "volume claim templates");
        String claim = claims.get(0).getMetadata().getName();
        VolumeMount mount = manifests.server().getVolumeMounts().stream().filter(m -> m.getName().equals(claim))
                .findFirst().orElseThrow(() -> new AssertionError("the claim " + claim + " is not mounted"));
        assertEquals(manifests.env("DARNER_DATA_DIR"), mount.getMountPath(), "mount path vs. DARNER_DATA_DIR");
        assertTrue(mount.getReadOnly() == null || !mount.getReadOnly(), "the data volume is writable");
    }

    @Test
    void heapPlusNativeMemoryFitsTheMemoryLimit() {
        long heap = JvmOptions.parse(manifests.env("JAVA_OPTS")).maxHeapBytes();
        Map<String, Quantity> limits = manifests.server().getResources().getLimits();
        Map<String, Quantity> requests = manifests.server().getResources().getRequests();
        long limit = bytes(limits, "memory");
        assertTrue(heap + NATIVE_ALLOWANCE <= limit, String.format(
                "-Xmx %d MiB + %d MiB native > the %d MiB limit", heap >> 20, NATIVE_ALLOWANCE >> 20, limit >> 20));
        assertTrue(bytes(requests, "memory") <= limit, "the memory request is within the limit");
        assertEquals("1", manifests.env("MALLOC_ARENA_MAX"), "one malloc arena, not one per thread that called LevelDB");
    }

    private static long bytes(Map<String, Quantity> resources, String name) {
        assertNotNull(resources, "resources of the container");
        Quantity q = resources.get(name);
        assertNotNull(q, name + " of the container");
        return q.getNumericalAmount().longValueExact();
    }

    @Test
    void servicesBudgetAndPolicySelectTheServerPods() {
        StatefulSet set = manifests.statefulSet();
        assertSelects(set.getSpec().getSelector(), "the StatefulSet");
        assertSelects(manifests.one(PodDisruptionBudget.class).getSpec().getSelector(), "the PodDisruptionBudget");
        assertSelects(manifests.one(NetworkPolicy.class).getSpec().getPodSelector(), "the NetworkPolicy");
        for (Service service : manifests.all(Service.class)) {
            assertSelects(service.getSpec().getSelector(), "Service " + service.getMetadata().getName());
        }
    }

    private static void assertSelects(LabelSelector selector, String who) {
        assertNotNull(selector, who + " has a selector");
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(), who + ": labels only");
        assertSelects(selector.getMatchLabels(), who);
    }

    private static void assertSelects(Map<String, String> labels, String who) {
        assertTrue(labels != null && !labels.isEmpty(), who + " selects by label");
        assertTrue(manifests.podLabels().entrySet().containsAll(labels.entrySet()),
                who + " selects " + labels + ", the pods have " + manifests.podLabels());
    }

    @Test
    void theHeadlessServiceNamesEachServerOnTheMemcachePort() {
        Service headless = service(manifests.statefulSet().getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP(), "headless: one name per pod, no virtual IP");
        assertEquals(Set.of(manifests.containerPort(MEMCACHE_PORT)), targetPorts(headless));
        assertTrue(Boolean.TRUE.equals(headless.getSpec().getPublishNotReadyAddresses()),
                "a quiescent (not ready) server must stay reachable for the confirms of its consumers");
    }

    @Test
    void theAdminServiceReachesTheAdminPort() {
        Set<Integer> admin = Set.of(manifests.containerPort(ADMIN_PORT));
        assertTrue(manifests.all(Service.class).stream().anyMatch(s -> targetPorts(s).equals(admin)),
                "a Service for the admin port");
    }

    private static Service service(String name) {
        return manifests.all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Service named " + name));
    }

    private static Set<Integer> targetPorts(Service service) {
        Set<Integer> ports = new HashSet<>();
        for (ServicePort p : service.getSpec().getPorts()) {
            assertNotNull(p.getTargetPort(), "Service " + service.getMetadata().getName() + " names the container port it reaches");
            ports.add(manifests.resolve(p.getTargetPort()));
        }
        return ports;
    }

    @Test
    void theNetworkPolicyLetsOnlyChosenPeersReachBothPorts() {
        NetworkPolicy policy = manifests.one(NetworkPolicy.class);
        assertTrue(policy.getSpec().getPolicyTypes().contains("Ingress"), "the policy restricts ingress");
        Set<Integer> covered = new HashSet<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), "a rule without 'from' lets every pod in");
            assertFalse(rule.getPorts() == null || rule.getPorts().isEmpty(), "a rule without ports opens every port");
            for (NetworkPolicyPort port : rule.getPorts()) {
                covered.add(manifests.resolve(port.getPort()));
            }
        }
        assertEquals(Set.of(manifests.containerPort(MEMCACHE_PORT), manifests.containerPort(ADMIN_PORT)), covered,
                "ports the policy opens to its peers (every other is closed)");
    }

    @Test
    void theDrainOfThePreStopHookFitsTheTerminationGracePeriod() {
        int drain = Integer.parseInt(manifests.env("DARNER_DRAIN_SECONDS"));
        long grace = manifests.podSpec().getTerminationGracePeriodSeconds();
        assertTrue(drain > 0, "consumers get time to finish");
        assertTrue(drain + SHUTDOWN_SECONDS <= grace, "preStop drain " + drain + " s + " + SHUTDOWN_SECONDS
                + " s to stop > terminationGracePeriodSeconds " + grace + ": the kubelet would SIGKILL the server");
    }

    @Test
    void bothHooksRunAScriptOfTheHooksConfigMap() {
        assertHookScript(manifests.server().getLifecycle().getPreStop(), "pre-stop.sh");
        assertHookScript(manifests.server().getLifecycle().getPostStart(), "post-start.sh");
    }

    private static void assertHookScript(LifecycleHandler hook, String script) {
        assertNotNull(hook, "a hook running " + script);
        List<String> command = hook.getExec().getCommand();
        assertEquals(2, command.size(), "bash and the script: " + command);
        assertEquals("bash", command.get(0), "the script is run by bash (a config map file is not executable)");
        Path inContainer = Path.of(command.get(1));
        assertEquals(script, inContainer.getFileName().toString());
        String volume = manifests.server().getVolumeMounts().stream()
                .filter(m -> Path.of(m.getMountPath()).equals(inContainer.getParent())).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted where " + inContainer + " is")).getName();
        String configMap = manifests.podSpec().getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst()
                .orElseThrow().getConfigMap().getName();
        List<String> keys = manifests.kustomization().configMap(configMap)
                .orElseThrow(() -> new AssertionError("no configMapGenerator named " + configMap)).keys();
        assertTrue(keys.contains(script), configMap + " holds " + keys);
        assertTrue(Files.isRegularFile(Manifests.DEPLOY.resolve("hooks").resolve(script)), "deploy/hooks/" + script);
    }

    @Test
    void theAdminTokenComesFromTheGeneratedSecret() {
        EnvVarSource from = manifests.envVar("DARNER_ADMIN_TOKEN").getValueFrom();
        assertNotNull(from, "DARNER_ADMIN_TOKEN is not written into the manifest");
        String secret = from.getSecretKeyRef().getName();
        List<String> keys = manifests.kustomization().secret(secret)
                .orElseThrow(() -> new AssertionError("no secretGenerator named " + secret)).keys();
        assertTrue(keys.contains(from.getSecretKeyRef().getKey()), secret + " holds " + keys);
    }

    @Test
    void prometheusScrapesTheMetricsPathOnTheAdminPort() {
        Map<String, String> annotations = manifests.statefulSet().getSpec().getTemplate().getMetadata().getAnnotations();
        Function<String, String> annotation = key -> annotations.getOrDefault("prometheus.io/" + key, "(none)");
        assertEquals("true", annotation.apply("scrape"));
        assertEquals(Integer.toString(manifests.containerPort(ADMIN_PORT)), annotation.apply("port"));
        assertEquals(METRICS, annotation.apply("path"));
    }

    @Test
    void everyResourceIsLabelledAsPartOfDarner() {
        for (HasMetadata resource : manifests.byFile().values()) {
            assertEquals("darner", resource.getMetadata().getLabels().get("app.kubernetes.io/name"),
                    resource.getKind() + " " + resource.getMetadata().getName());
        }
    }
}
