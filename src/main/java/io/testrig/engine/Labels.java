package io.testrig.engine;

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

  /** PID and host of the testrig process, so gc can tell whether the run is still alive. */
  public static final String OWNER = "io.testrig.owner";

  /** Prefix of compose project names testrig uses. */
  public static final String PROJECT_PREFIX = "testrig-";
}
