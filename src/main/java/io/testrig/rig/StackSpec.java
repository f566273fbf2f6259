package io.testrig.rig;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code stack:} section: a compose stack driven through {@code docker compose}.
 *
 * @param files compose files, relative to the rig file; they reach rendered configs and certs
 *     through {@code ${TESTRIG_RUN_DIR}}, which testrig sets
 * @param project compose project name; default derived from CI_JOB_ID/CI_PIPELINE_ID or random
 * @param profiles compose profiles to enable
 * @param envFiles compose env files
 * @param build services to build before start
 * @param timeout default per-service readiness timeout (e.g. {@code 120s}, {@code 2m})
 * @param gracefulStop stop containers gracefully before removal (default: kill, faster)
 * @param services per-service readiness settings and switches
 * @param profilesIf compose profiles enabled only in the configs where a {@link Condition} holds,
 *     profile → condition (docs/rig-file.md, "Flags that switch services")
 */
public record StackSpec(
    List<String> files,
    String project,
    List<String> profiles,
    List<String> envFiles,
    List<String> build,
    Duration timeout,
    Boolean gracefulStop,
    Map<String, ServiceSpec> services,
    Map<String, String> profilesIf) {
  public static final StackSpec NONE =
      new StackSpec(null, null, null, null, null, null, null, null, null);

  public StackSpec {
    files = files == null ? List.of() : files;
    profiles = profiles == null ? List.of() : profiles;
    envFiles = envFiles == null ? List.of() : envFiles;
    build = build == null ? List.of() : build;
    timeout = timeout == null ? Duration.ofSeconds(120) : timeout;
    gracefulStop = gracefulStop != null && gracefulStop;
    services = services == null ? Map.of() : services;
    profilesIf = profilesIf == null ? Map.of() : profilesIf;
  }

  /** The same stack with these profiles enabled (the rig's plus those a condition enabled). */
  public StackSpec withProfiles(List<String> active) {
    return new StackSpec(
        files, project, active, envFiles, build, timeout, gracefulStop, services, profilesIf);
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }

  /**
   * @param probe how to tell the service is ready when it has no healthcheck
   * @param timeout readiness timeout for this service
   * @param enabledIf a {@link Condition}: the service starts only in the configs where it holds;
   *     elsewhere it is left out and reported as "disabled by features.cache=false"
   * @param reload what {@code testrig reload} does when the service's rendered files changed: a
   *     signal name ({@code SIGHUP}, {@code SIGUSR1}, ...) sent with {@code docker compose kill
   *     -s}, or {@code restart}; null: nothing, it only says so
   */
  public record ServiceSpec(ProbeSpec probe, Duration timeout, String enabledIf, String reload) {}

  /**
   * How to tell a service without a healthcheck is ready: the closed set of probe kinds, written in
   * the rig as a mapping with exactly one of {@code tcp} (container port), {@code http} (URL seen
   * from inside the stack network, e.g. {@code http://api:8080/health}), {@code log} (a regex a log
   * line matches), {@code command} (run in the container; exit 0 means ready). A new kind is one
   * more record here, one key in {@link ProbeReader} and one check class in {@code
   * io.testrig.compose}.
   */
  @JsonDeserialize(using = ProbeReader.class)
  public sealed interface ProbeSpec {
    /** A TCP connect to the container's {@code port}. */
    record Tcp(int port) implements ProbeSpec {}

    /** An HTTP GET answered with 2xx or 3xx. */
    record Http(String url) implements ProbeSpec {}

    /** A log line matching {@code pattern} (a Java regex). */
    record Log(String pattern) implements ProbeSpec {}

    /** {@code argv} run in the container; exit 0 means ready. */
    record Command(List<String> argv) implements ProbeSpec {}
  }
}
