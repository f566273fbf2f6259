package io.testrig.core;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the engine work a command causes: {@code docker compose} processes started and {@code
 * docker exec} calls made through the API. bench/scale.sh reads the line {@link #report} prints
 * when {@code TESTRIG_TRACE_CALLS=1} to show redundant invocations per command (issue 11).
 */
public final class CallCount {
  /** The environment variable that turns the report on. */
  public static final String ENV = "TESTRIG_TRACE_CALLS";

  private static final AtomicInteger COMPOSE = new AtomicInteger();
  private static final AtomicInteger EXEC = new AtomicInteger();

  private CallCount() {}

  /** Counts a process about to start when it is a compose invocation. */
  static void process(List<String> command) {
    if (isCompose(command)) {
      COMPOSE.incrementAndGet();
    }
  }

  /** Counts one {@code docker exec} through the engine API. */
  public static void exec() {
    EXEC.incrementAndGet();
  }

  static boolean isCompose(List<String> command) {
    if (command.isEmpty()) {
      return false;
    }
    String bin = command.get(0);
    String name = bin.substring(bin.lastIndexOf('/') + 1);
    return name.equals("docker-compose")
        || (name.equals("docker") && command.size() > 1 && command.get(1).equals("compose"));
  }

  /** Compose processes started so far. */
  public static int compose() {
    return COMPOSE.get();
  }

  /** Exec calls made so far. */
  public static int execs() {
    return EXEC.get();
  }

  /** One stderr line with both counts, when {@code TESTRIG_TRACE_CALLS=1}. */
  public static void report(String envValue, PrintWriter err) {
    if ("1".equals(envValue)) {
      err.println("testrig: calls: compose=" + compose() + " exec=" + execs());
      err.flush();
    }
  }
}
