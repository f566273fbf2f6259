package io.testrig.engine;

import io.testrig.backend.Backend;
import io.testrig.backend.docker.DockerBackend;
import io.testrig.backend.docker.DockerConnect;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection to a container engine: the {@link Backend} orchestration talks to, and where it is.
 * {@link #connect} reaches the Docker engine named by DOCKER_HOST (default {@code
 * unix:///var/run/docker.sock}), with TLS from DOCKER_TLS_VERIFY/DOCKER_CERT_PATH as docker:dind's
 * {@code /certs/client} layout provides; the API version is pinned to min(server, {@link
 * #TESTED_API}) so a newer engine never gets requests testrig was not tested with. Unit tests wrap
 * a fake backend with {@link #of}.
 */
public final class Engine implements AutoCloseable {
  /** Highest API version testrig is tested against (Docker 26 inside the builder image). */
  public static final String TESTED_API = DockerConnect.TESTED_API;

  /** Lowest API version testrig supports: Docker 20.10 (Debian bookworm's docker.io). */
  public static final String MINIMUM_API = DockerConnect.MINIMUM_API;

  /** Where Docker's own CLI looks when DOCKER_HOST is unset. */
  public static final String DEFAULT_HOST = DockerConnect.DEFAULT_HOST;

  /** The server's version and API version as it reported them. */
  public record Version(String version, String apiVersion) {}

  private final Backend backend;
  private final String host;
  private final Version version;
  private final String apiVersion;
  private final Map<String, String> environment;

  private Engine(
      Backend backend,
      String host,
      Version version,
      String apiVersion,
      Map<String, String> environment) {
    this.backend = backend;
    this.host = host;
    this.version = version;
    this.apiVersion = apiVersion;
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
  }

  /** An engine over any backend (a fake in unit tests), reported as being at {@code host}. */
  public static Engine of(Backend backend, String host, Map<String, String> environment) {
    return new Engine(backend, host, new Version("fake", TESTED_API), TESTED_API, environment);
  }

  /** Connects using the process environment, waiting up to {@code wait} for the engine. */
  public static Engine connect(Duration wait) {
    return connect(System.getenv(), wait);
  }

  /** Connects using {@code env} (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
  public static Engine connect(Map<String, String> env, Duration wait) {
    DockerBackend docker = DockerConnect.connect(env, wait);
    DockerBackend.Info i = docker.info();
    return new Engine(
        docker,
        i.host(),
        new Version(i.serverVersion(), i.serverApiVersion()),
        i.apiVersion(),
        i.cliEnvironment());
  }

  /** What orchestration calls: containers, networks, volumes, images, compose steps. */
  public Backend backend() {
    return backend;
  }

  public String host() {
    return host;
  }

  /** The API version every request uses: min(server, {@link #TESTED_API}). */
  public String apiVersion() {
    return apiVersion;
  }

  /**
   * Environment for docker CLI processes (compose) so they reach this engine: DOCKER_HOST,
   * DOCKER_API_VERSION and, with TLS, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
   */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * True when the engine is on this machine's unix socket, so container IPs on bridge networks are
   * reachable from this process (probes connect to them directly).
   */
  public boolean isLocal() {
    return host.startsWith("unix://");
  }

  /** The server's version as it reported it. */
  public Version version() {
    return version;
  }

  @Override
  public void close() {
    backend.close();
  }
}
