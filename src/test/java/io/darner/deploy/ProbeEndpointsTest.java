package io.darner.deploy;

import io.darner.testing.TempDataDir;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.stream.Stream;

import static io.restassured.RestAssured.get;

/**
 * The paths the manifests probe and scrape, asked of the running application: a probe on a path
 * the application does not serve would keep every pod from starting, or restart it forever.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ProbeEndpointsTest {
    /** Present once the Prometheus registry is on the classpath (quarkus-micrometer-registry-prometheus). */

    @Test
    void everyProbePathOfTheManifestsAnswersUp() throws IOException {
        Container server = Manifests.load().server();
        Stream.of(server.getStartupProbe(), server.getLivenessProbe(), server.getReadinessProbe())
                .map(Probe::getHttpGet)
                .forEach(probe -> get(probe.getPath()).then().statusCode(200));
    }

    @Test
    void theScrapedPathServesMetrics() throws IOException {
        String path = Manifests.load().statefulSet().getSpec().getTemplate().getMetadata().getAnnotations()
                .get("prometheus.io/path");
        get(path).then().statusCode(200);
    }
}
