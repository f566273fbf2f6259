package io.testrig.cli;

import io.testrig.rig.RigLoader;
import java.util.List;
import java.util.Set;

/**
 * Parallel preflight (issue 11): while the main thread builds picocli's model of the invoked
 * command and parses the arguments (about 0.1 s), a daemon thread loads and initialises what the
 * command needs next, by reading a small in-memory rig ({@link RigLoader#warm()}): Jackson (its
 * first ObjectMapper sets up a date format, and with it the JDK's locale and calendar data, tens of
 * milliseconds), SnakeYAML, the rig's deserializers and the model rules. On 2 cores the two
 * overlap: `validate` 0.47 -> 0.42 s wall at the same CPU, measured side by side. The warm-up reads
 * no file, prints nothing, and its failure is ignored (the command then does the same work itself);
 * a command that reads no rig file starts none.
 *
 * <p>The command itself starts only after the warm-up has ended ({@link #await()}), so the two
 * threads never initialise the same classes at the same time.
 */
final class Warmup {
  /** The commands that start by reading the rig file (with -p, {@code down} reads none). */
  static final Set<String> RIG_READERS =
      Set.of(
          "validate",
          "render",
          "certs",
          "secrets",
          "up",
          "run",
          "info",
          "env",
          "exec",
          "logs",
          "reload",
          "test");

  /** Longer than any warm-up takes; past it, the command goes on without waiting. */
  private static final long WAIT_MS = 5_000;

  static final Warmup NONE = new Warmup(null);

  private final Thread thread;

  private Warmup(Thread thread) {
    this.thread = thread;
  }

  /** The warm-up for {@code args}, started; {@link #NONE} when the command reads no rig file. */
  static Warmup start(String[] args) {
    List<Runnable> steps = steps(Main.firstPositional(args));
    if (steps.isEmpty()) {
      return NONE;
    }
    Thread t =
        new Thread(
            () -> {
              for (Runnable step : steps) {
                try {
                  step.run();
                } catch (Throwable e) { // never the command's failure: it does the work itself
                  return;
                }
              }
            },
            "testrig-warmup");
    t.setDaemon(true);
    t.start();
    return new Warmup(t);
  }

  /** What to warm for the command named {@code command} (null: none named). */
  static List<Runnable> steps(String command) {
    if (command == null || !RIG_READERS.contains(command)) {
      return List.of();
    }
    return List.of(RigLoader::warm);
  }

  /** Waits for the warm-up to end (at most {@link #WAIT_MS}); at once when there is none. */
  void await() {
    if (thread == null) {
      return;
    }
    try {
      thread.join(WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a warm-up thread was started. */
  boolean started() {
    return thread != null;
  }
}
