package io.testrig.run;

import io.testrig.compose.StackService;
import io.testrig.core.Background;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.engine.Reaper;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code testrig down}: saves each stack's logs, removes its containers, networks and volumes, and
 * wipes the rig's run directory (the one {@code up} used), so the secrets go with the stack.
 */
public final class DownService {
  private final Redactor redactor;
  private final Output out;

  public DownService(Redactor redactor, Output out) {
    this.redactor = redactor;
    this.out = out;
  }

  /**
   * Removes {@code projects}, or without any every testrig stack brought up from the rig's file.
   *
   * @param rig loads the rig; may return null when projects are named (then only {@code runDir} is
   *     wiped, if given)
   * @param runDir {@code --run-dir}, or null for the rig's ephemeral one
   * @param artifacts where the services' logs go
   * @param rigFile the rig file {@code rig} reads: without projects, its stacks are those labelled
   *     with its path
   */
  public void down(
      Supplier<Engine> connect,
      Supplier<Rig> rig,
      List<String> projects,
      Path runDir,
      Path artifacts,
      Path rigFile) {
    // The rig file is read while the engine connects (issue 11); the engine's failure still wins.
    CompletableFuture<Rig> loading = Background.start("testrig-down-rig", rig);
    try (Engine engine = connect.get()) {
      List<String> targets = projects;
      if (targets.isEmpty()) {
        // A stack carries its rig file's path (Labels.RIG), so its stacks are found by the path
        // while the file is still being read: waiting for the read first held `down -f` about
        // 0.1 s after the engine had connected (issue 11).
        targets = StackService.projectsOf(engine, rigFile);
        if (targets.isEmpty()) {
          Rig r = Background.join(loading);
          out.info("no testrig stack of " + r.file() + " is running");
          wipe(r, runDir);
          return;
        }
      }
      List<String> logProblems = new ArrayList<>();
      for (String p : targets) {
        remove(engine, p, artifacts, logProblems);
      }
      // The stacks need no rig: it is read meanwhile and waited for only here, to find the run
      // directory (issue 11: reading it held `down -p` up 0.07-0.3 s when the directory has a rig
      // file). A rig that cannot be read still fails the command, after its stacks are gone.
      wipe(Background.join(loading), runDir);
      if (!logProblems.isEmpty()) {
        // Everything is removed; a log that could not be saved is still an error (exit 5).
        throw TestrigException.io(String.join("; ", logProblems), null);
      }
    }
  }

  /** One project: stops at the first that cannot be removed wholly (exit 4). */
  private void remove(Engine engine, String p, Path artifacts, List<String> logProblems) {
    StackService.Down d = StackService.down(engine, p, artifacts, redactor);
    Reaper.Removed r = d.removed();
    out.info(
        String.format(
            "%s: removed %d containers, %d networks, %d volumes",
            p, r.containers().size(), r.networks().size(), r.volumes().size()));
    if (!r.kept().isEmpty()) {
      throw new TestrigException(
          ExitCode.STACK_FAILED, p + ": could not remove " + String.join("; ", r.kept()));
    }
    if (d.logsProblem() != null) {
      logProblems.add(p + ": " + d.logsProblem());
    }
  }

  /** The secrets go with the stack: the run directory `up` used for this rig file. */
  private void wipe(Rig r, Path runDir) {
    if (r == null && runDir == null) {
      return;
    }
    RunDir dir = RunDir.locate(r, runDir, null);
    if (dir.exists()) {
      dir.wipe();
      out.info("wiped " + dir.path());
    }
  }
}
