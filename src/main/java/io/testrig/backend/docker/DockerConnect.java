package io.testrig.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connects to the Docker engine named by DOCKER_HOST (default {@code unix:///var/run/docker.sock}),
 * with TLS from DOCKER_TLS_VERIFY/DOCKER_CERT_PATH as docker:dind's {@code /certs/client} layout
 * provides. The API version is pinned to min(server, {@link #TESTED_API}) so a newer engine never
 * gets requests testrig was not tested with.
 */
public final class DockerConnect {
  /** Highest API version testrig is tested against (Docker 26 inside the builder image). */
  public static final String TESTED_API = RemoteApiVersion.VERSION_1_44.getVersion();

  /** Lowest API version testrig supports: Docker 20.10 (Debian bookworm's docker.io). */
  public static final String MINIMUM_API = RemoteApiVersion.VERSION_1_41.getVersion();

  /** Where Docker's own CLI looks when DOCKER_HOST is unset. */
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  /** What DOCKER_CERT_PATH must hold, as docker:dind's /certs/client does. */
  private static final List<String> CERT_FILES = List.of("ca.pem", "cert.pem", "key.pem");

  private DockerConnect() {}

  /** Connects using {@code env} (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
  public static DockerBackend connect(Map<String, String> env, Duration wait) {
    String host = env.get("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      host = DEFAULT_HOST;
    }
    DefaultDockerClientConfig.Builder b =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host);
    // As the docker CLI (and so compose, which inherits our environment) reads it: any non-empty
    // value, "0" included, turns TLS on; it can only enable TLS, never disable it.
    // https://github.com/docker/cli/blob/master/cli/flags/options.go (dockerTLSVerify)
    String verify = env.get("DOCKER_TLS_VERIFY");
    boolean tls = verify != null && !verify.isEmpty();
    b.withDockerTlsVerify(tls);
    String certPath = env.get("DOCKER_CERT_PATH");
    if (certPath == null || certPath.isBlank()) {
      certPath = System.getProperty("user.home") + "/.docker"; // the docker CLI's default
    }
    if (tls) {
      b.withDockerCertPath(certPath);
    }
    Version v = awaitVersion(b, host, tls ? Path.of(certPath) : null, wait);
    RemoteApiVersion server = RemoteApiVersion.parseConfig(v.getApiVersion());
    RemoteApiVersion minimum = RemoteApiVersion.parseConfig(MINIMUM_API);
    RemoteApiVersion tested = RemoteApiVersion.parseConfig(TESTED_API);
    if (!server.isGreaterOrEqual(minimum)) {
      throw new TestrigException(
          ExitCode.ENGINE_UNAVAILABLE,
          "engine at "
              + host
              + " speaks API "
              + v.getApiVersion()
              + ", testrig needs "
              + MINIMUM_API
              + " (Docker 20.10) or newer");
    }
    RemoteApiVersion pinned = server.isGreater(tested) ? tested : server;
    DockerClientConfig config = b.withApiVersion(pinned).build();
    DockerHttpClient http = httpClient(config);
    // The docker CLI (compose) must talk to the same engine with the same API version.
    Map<String, String> cliEnv = new LinkedHashMap<>();
    cliEnv.put("DOCKER_HOST", host);
    cliEnv.put("DOCKER_API_VERSION", pinned.getVersion());
    if (tls) {
      cliEnv.put("DOCKER_TLS_VERIFY", "1");
      cliEnv.put("DOCKER_CERT_PATH", certPath);
    }
    return new DockerBackend(
        DockerClientImpl.getInstance(config, http),
        http,
        new DockerBackend.Info(
            host,
            v.getVersion(),
            v.getApiVersion(),
            pinned.getVersion(),
            Collections.unmodifiableMap(cliEnv)));
  }

  private static Version awaitVersion(
      DefaultDockerClientConfig.Builder b, String host, Path certPath, Duration wait) {
    // Unversioned probe: works against any server, old or new. In DinD the daemon and its certs
    // appear after the job started, so keep trying until the deadline.
    long deadline = System.nanoTime() + wait.toNanos();
    Exception last = null;
    long sleep = 100;
    do {
      try {
        requireCerts(certPath);
        DockerClientConfig probeConfig = b.withApiVersion(RemoteApiVersion.UNKNOWN_VERSION).build();
        try (DockerHttpClient http = httpClient(probeConfig);
            DockerClient c = DockerClientImpl.getInstance(probeConfig, http)) {
          return c.versionCmd().exec();
        }
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new TestrigException(
            ExitCode.INTERRUPTED, "interrupted while waiting for the engine at " + host);
      }
      sleep = Math.min(sleep * 2, 1_000);
    } while (System.nanoTime() < deadline);
    String why = last == null ? "no answer" : rootMessage(last);
    throw new TestrigException(
        ExitCode.ENGINE_UNAVAILABLE,
        "no Docker engine answered at " + host + " within " + wait.toSeconds() + " s (" + why + ")",
        last);
  }

  /**
   * With DOCKER_TLS_VERIFY set, docker-java speaks plain HTTP when DOCKER_CERT_PATH lacks any of
   * ca.pem, cert.pem, key.pem (its LocalDirectorySSLConfig then yields no SSLContext; EngineTlsIT
   * saw the request reach dockerd's TLS port unencrypted). Refuse instead, as the docker CLI does.
   */
  private static void requireCerts(Path certPath) {
    if (certPath == null) {
      return;
    }
    for (String name : CERT_FILES) {
      if (!Files.isRegularFile(certPath.resolve(name))) {
        throw new IllegalStateException(
            "DOCKER_TLS_VERIFY is set but " + certPath.resolve(name) + " does not exist");
      }
    }
  }

  private static DockerHttpClient httpClient(DockerClientConfig config) {
    return new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig() != null ? config.getSSLConfig() : NoTls::context)
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofMinutes(10))
        .maxConnections(64)
        .build();
  }

  private static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    // One line: a server's error body (e.g. dockerd's 400 to plain HTTP on its TLS port) ends in
    // a newline.
    String message = r.getMessage() == null ? "" : ": " + r.getMessage().strip();
    return (r.getClass().getSimpleName() + message).replaceAll("\\s+", " ");
  }
}
