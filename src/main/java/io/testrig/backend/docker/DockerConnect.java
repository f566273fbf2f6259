package io.testrig.backend.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Connects to the Docker engine named by DOCKER_HOST (default {@code unix:///var/run/docker.sock}),
 * with TLS from DOCKER_TLS_VERIFY/DOCKER_CERT_PATH as docker:dind's {@code /certs/client} layout
 * provides. The API version is pinned to min(server, {@link #TESTED_API}) so a newer engine never
 * gets requests testrig was not tested with.
 */
public final class DockerConnect {
  /** Highest API version testrig is tested against (Docker 26 inside the builder image). */
  public static final String TESTED_API = "1.44";

  /** Lowest API version testrig supports: Docker 20.10 (Debian bookworm's docker.io). */
  public static final String MINIMUM_API = "1.41";

  /** Where Docker's own CLI looks when DOCKER_HOST is unset. */
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  /** How long the unversioned {@code /version} probe may wait for an answer over TCP. */
  private static final int PROBE_READ_TIMEOUT_MS = 10_000;

  private DockerConnect() {}

  /** Connects using {@code env} (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
  public static DockerBackend connect(Map<String, String> env, Duration wait) {
    String host = env.get("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      host = DEFAULT_HOST;
    }
    // As the docker CLI (and so compose, which inherits our environment) reads it: any non-empty
    // value, "0" included, turns TLS on; it can only enable TLS, never disable it.
    // https://github.com/docker/cli/blob/master/cli/flags/options.go (dockerTLSVerify)
    String verify = env.get("DOCKER_TLS_VERIFY");
    boolean tls = verify != null && !verify.isEmpty();
    String certPath = env.get("DOCKER_CERT_PATH");
    if (certPath == null || certPath.isBlank()) {
      certPath = System.getProperty("user.home") + "/.docker"; // the docker CLI's default
    }
    Probe v = awaitVersion(host, tls ? Path.of(certPath) : null, wait);
    if (compare(v.apiVersion(), MINIMUM_API) < 0) {
      throw new TestrigException(
          ExitCode.ENGINE_UNAVAILABLE,
          "engine at "
              + host
              + " speaks API "
              + v.apiVersion()
              + ", testrig needs "
              + MINIMUM_API
              + " (Docker 20.10) or newer");
    }
    String pinned = compare(v.apiVersion(), TESTED_API) > 0 ? TESTED_API : v.apiVersion();
    // The docker CLI (compose) must talk to the same engine with the same API version.
    Map<String, String> cliEnv = new LinkedHashMap<>();
    cliEnv.put("DOCKER_HOST", host);
    cliEnv.put("DOCKER_API_VERSION", pinned);
    if (tls) {
      cliEnv.put("DOCKER_TLS_VERIFY", "1");
      cliEnv.put("DOCKER_CERT_PATH", certPath);
    }
    EngineHttp.Endpoint endpoint = EngineHttp.endpoint(host, v.tls());
    return new DockerBackend(
        new EngineHttp(endpoint, "/v" + pinned),
        new DockerBackend.Info(
            host, v.version(), v.apiVersion(), pinned, Collections.unmodifiableMap(cliEnv)));
  }

  /** What the engine said about itself, and the TLS context that reached it (or null). */
  private record Probe(String version, String apiVersion, SSLContext tls) {}

  private static Probe awaitVersion(String host, Path certPath, Duration wait) {
    // Unversioned probe: works against any server, old or new. In DinD the daemon and its certs
    // appear after the job started, so keep trying until the deadline.
    long deadline = System.nanoTime() + wait.toNanos();
    Exception last = null;
    long sleep = 100;
    do {
      try {
        return probe(host, certPath);
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
   * {@code GET /version}
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/SystemVersion). With
   * DOCKER_TLS_VERIFY set, a cert path lacking any of ca.pem, cert.pem, key.pem is refused, as the
   * docker CLI refuses it, never downgraded to plain HTTP.
   */
  private static Probe probe(String host, Path certPath) throws Exception {
    SSLContext tls = certPath == null ? null : EngineTls.context(certPath);
    EngineHttp.Endpoint endpoint = EngineHttp.endpoint(host, tls);
    if (endpoint instanceof EngineHttp.Tcp t) {
      endpoint = new EngineHttp.Tcp(t.host(), t.port(), t.tls(), PROBE_READ_TIMEOUT_MS);
    }
    JsonNode v = new EngineHttp(endpoint, "").send("GET", "/version").check().json();
    String api = EngineJson.text(v, "ApiVersion");
    if (api == null || !api.matches("\\d+\\.\\d+")) {
      throw new IllegalStateException("the engine reported no API version");
    }
    return new Probe(EngineJson.text(v, "Version"), api, tls);
  }

  /** Compares API versions such as 1.41 and 1.9 by their numbers. */
  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c =
          Integer.compare(
              i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
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
