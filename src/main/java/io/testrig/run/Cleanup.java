package io.testrig.run;

import io.testrig.core.Exec;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What must be undone however testrig ends: stacks to tear down, run directories to wipe. Normal
 * paths close their registrations in order; a JVM shutdown with registrations still open means
 * SIGINT, SIGTERM or an unexpected exit, so the shutdown hook undoes them (last registered first)
 * and exits with {@link ExitCode#INTERRUPTED}. Using a shutdown hook rather than signal handlers
 * keeps to supported JDK API and covers every way the JVM is asked to exit, except SIGKILL, which
 * {@code testrig gc} handles.
 */
public final class Cleanup {
  /** A registered undo action; closing it runs the action once. */
  public final class Registration implements AutoCloseable {
    private final String what;
    private final Runnable action;
    private boolean done;
    private volatile String outcome;

    private Registration(String what, Runnable action) {
      this.what = what;
      this.action = action;
    }

    @Override
    public void close() {
      synchronized (Cleanup.this) {
        if (done) {
          return;
        }
        done = true;
        open.remove(this);
      }
      try {
        action.run();
        outcome = "done";
      } catch (RuntimeException e) {
        outcome = "failed: " + e.getMessage();
        throw e;
      }
    }

    /** Null until the action ran (by close or the hook); then "done" or "failed: why". */
    public String outcome() {
      return outcome;
    }

    /**
     * Drops the action without running it, unless an interrupted shutdown already began: then the
     * hook owns it (it runs, or ran, the action) and this returns false. The caller of a normal
     * path that sees false must not do the action's work itself, since the hook races it.
     */
    public boolean cancel() {
      synchronized (Cleanup.this) {
        if (done || interrupted) {
          return false;
        }
        done = true;
        open.remove(this);
        return true;
      }
    }
  }

  /** How long the hook waits for killed child processes to end. */
  static final Duration CHILD_WAIT = Duration.ofSeconds(10);

  private final Deque<Registration> open = new ArrayDeque<>();
  private volatile boolean interrupted;
  // Set by any shutdown, even one that found nothing open: the JVM is ending, start nothing new.
  private volatile boolean shuttingDown;

  /**
   * Registers an undo action, run at close or at an interrupted shutdown. Once a shutdown began
   * this refuses with {@link ExitCode#INTERRUPTED}: the caller must not start what the action would
   * undo (a matrix config queued behind the running ones never starts after SIGINT, issue 7 item
   * 6).
   */
  public synchronized Registration register(String what, Runnable action) {
    if (shuttingDown) {
      throw new TestrigException(ExitCode.INTERRUPTED, "interrupted before " + what + " began");
    }
    Registration r = new Registration(what, action);
    open.push(r);
    return r;
  }

  /** True once a shutdown began while work was still registered. */
  public boolean interrupted() {
    return interrupted;
  }

  /**
   * Installs the JVM shutdown hook that undoes open registrations and exits 130. Before undoing
   * anything it ends testrig's child processes ({@link Exec#endAll}): a compose command still
   * creating containers would otherwise create them after the hook removed the stack.
   */
  public void installShutdownHook(PrintWriter err) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (runOpen(err, () -> Exec.endAll(CHILD_WAIT)) > 0) {
                    err.flush();
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
                  }
                },
                "testrig-cleanup"));
  }

  /** Undoes every open registration, last first; returns how many there were. */
  int runOpen(PrintWriter err) {
    return runOpen(err, () -> {});
  }

  /**
   * Marks the shutdown (no registration is accepted after it), runs {@code beforeUndo}, then undoes
   * every registration open at that moment, last first; returns how many there were.
   */
  int runOpen(PrintWriter err, Runnable beforeUndo) {
    List<Registration> todo;
    synchronized (this) {
      shuttingDown = true;
      if (open.isEmpty()) {
        return 0;
      }
      interrupted = true;
      todo = new ArrayList<>(open);
    }
    err.println("testrig: interrupted; cleaning up " + todo.size() + " thing(s)");
    err.flush();
    beforeUndo.run();
    for (Registration r : todo) {
      try {
        r.close();
        err.println("testrig: cleaned up " + r.what);
      } catch (RuntimeException e) {
        err.println("testrig: cleaning up " + r.what + " failed: " + e.getMessage());
      }
    }
    err.flush();
    return todo.size();
  }
}
