package io.testrig.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Labels testrig puts on every container, network and volume it creates (on top of compose's own),
 * so {@code testrig gc} can find what a killed run left behind.
 */
public final class Labels {
  private Labels() {}

  /** The run id; also the suffix of the compose project name. */
  public static final String RUN_ID = "io.testrig.run-id";

  /** When the run started, epoch seconds. */
  public static final String STARTED = "io.testrig.started";

  /**
   * The process that owns the run, as {@code <hostname>/<pid>/<process start epoch ms>}, so gc can
   * tell whether the run is still alive (the start time guards against a reused pid).
   */
  public static final String OWNER = "io.testrig.owner";

  /** The CI job (CI_JOB_ID) that started the run, when there is one; {@code gc --this-job}. */
  public static final String CI_JOB = "io.testrig.ci-job";

  /** Absolute path of the rig file, so {@code testrig down} finds the stacks of one rig. */
  public static final String RIG = "io.testrig.rig";

  /**
   * The run directory of a stack brought up with one ({@code up}, {@code run}), so gc finds its
   * {@link KeepMarker} (a stack kept until a time-to-live) without knowing the rig.
   */
  public static final String RUN_DIR = "io.testrig.run-dir";

  /** Prefix of compose project names testrig uses. */
  public static final String PROJECT_PREFIX = "testrig-";

  /** Compose's own project label (https://github.com/docker/compose, pkg/api/labels.go). */
  public static final String COMPOSE_PROJECT = "com.docker.compose.project";

  /** Compose's service label. */
  public static final String COMPOSE_SERVICE = "com.docker.compose.service";

  /** Compose's label on containers made by {@code compose run}. */
  public static final String COMPOSE_ONEOFF = "com.docker.compose.oneoff";

  /**
   * The labels of every resource of one run: run id, start time, owner, the CI job (for {@code gc
   * --this-job}) and the rig file. Stacks and stack-less suites use the same set.
   */
  public static java.util.Map<String, String> forRun(
      String runId,
      ProcessHandle owner,
      java.nio.file.Path rigFile,
      java.util.Map<String, String> env) {
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
    labels.put(RUN_ID, runId);
    labels.put(STARTED, Long.toString(Instant.now().getEpochSecond()));
    labels.put(OWNER, owner(owner));
    String job = env.get("CI_JOB_ID");
    if (job != null && !job.isBlank()) {
      labels.put(CI_JOB, job);
    }
    if (rigFile != null) {
      labels.put(RIG, rigFile.toAbsolutePath().toString());
    }
    return labels;
  }

  /** The owner value for a process. */
  public static String owner(ProcessHandle process) {
    long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return hostname() + "/" + process.pid() + "/" + start;
  }

  /**
   * Whether the owner named by a label value is known to be gone: on this host, with no process of
   * that pid started at that time. An owner on another host (another job container sharing the
   * engine) is never judged gone: only its age can make it garbage.
   */
  public static boolean ownerGone(String owner) {
    if (owner == null) {
      return false;
    }
    String[] parts = owner.split("/");
    if (parts.length != 3 || !parts[0].equals(hostname())) {
      return false;
    }
    long pid;
    long start;
    try {
      pid = Long.parseLong(parts[1]);
      start = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive() || exited(pid)) {
      return true;
    }
    long actual = p.get().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    // Start times come from /proc with clock-tick resolution; a different process is seconds off.
    return start != 0 && actual != 0 && Math.abs(actual - start) > 2_000;
  }

  /**
   * Whether a process that still answers {@code kill(pid, 0)} has in fact exited: a zombie ({@code
   * Z}) waiting for its parent, or one being torn down ({@code X}). A SIGKILLed JVM stays in that
   * state for a moment after its process group is gone, and its stack is garbage already. State is
   * the field after the parenthesised command in /proc/PID/stat (proc(5)).
   */
  static boolean exited(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      int close = stat.lastIndexOf(')');
      if (close < 0 || close + 2 >= stat.length()) {
        return false;
      }
      char state = stat.charAt(close + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The run's start time from a label map, or null. */
  public static Instant started(Map<String, String> labels) {
    String s = labels == null ? null : labels.get(STARTED);
    if (s == null) {
      return null;
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * This host's name, read without DNS: in a job container it is the container's id, so owners in
   * other containers sharing the engine never look local.
   */
  static String hostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      String h = System.getenv("HOSTNAME");
      return h == null ? "unknown" : h;
    }
  }
}
