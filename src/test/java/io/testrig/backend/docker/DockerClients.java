package io.testrig.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.testrig.engine.Engine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A docker-java client for the engine a connected {@link Engine} talks to, for integration tests
 * that check the engine directly (what exists, with which labels) through a client independent of
 * the one they test (testrig's own, in this package). One client per engine environment, kept for
 * the test JVM's life.
 */
public final class DockerClients {
  private static final Map<Map<String, String>, DockerClient> CLIENTS = new ConcurrentHashMap<>();

  private DockerClients() {}

  public static DockerClient of(Engine engine) {
    return CLIENTS.computeIfAbsent(Map.copyOf(engine.environment()), DockerClients::create);
  }

  private static DockerClient create(Map<String, String> env) {
    DefaultDockerClientConfig.Builder b =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(env.get("DOCKER_HOST"))
            .withApiVersion(env.get("DOCKER_API_VERSION"));
    boolean tls = env.containsKey("DOCKER_TLS_VERIFY");
    b.withDockerTlsVerify(tls);
    if (tls) {
      b.withDockerCertPath(env.get("DOCKER_CERT_PATH"));
    }
    DockerClientConfig config = b.build();
    return DockerClientImpl.getInstance(
        config,
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofMinutes(10))
            .maxConnections(64)
            .build());
  }
}
