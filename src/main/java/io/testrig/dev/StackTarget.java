package io.testrig.dev;

import io.testrig.core.TestrigException;
import io.testrig.engine.KeepMarker;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which running stack a developer command ({@code info}, {@code env}, {@code exec}, {@code logs},
 * {@code reload}, {@code test}) means: {@code -p NAME} when given, else the one stack {@code up}
 * (or {@code run --keep}) recorded in the rig's run directory ({@link KeepMarker}).
 *
 * @param rig the rig file's model
 * @param dir the run directory (config.json, certs, rendered files)
 * @param runDirGiven whether {@code --run-dir} named it (hints repeat it)
 * @param project the compose project
 * @param keep its time-to-live, when it has one
 */
public record StackTarget(
    Rig rig, RunDir dir, boolean runDirGiven, String project, Optional<KeepMarker> keep) {

  /** Resolves the target; no stack recorded, or several, is bad input naming what to do. */
  public static StackTarget resolve(Rig rig, Path runDir, String project) {
    RunDir dir = RunDir.locate(rig, runDir, null);
    if (project != null) {
      return new StackTarget(
          rig, dir, runDir != null, project, KeepMarker.read(dir.path(), project));
    }
    List<KeepMarker> kept = KeepMarker.list(dir.path());
    if (kept.isEmpty()) {
      throw TestrigException.badInput(
          rig.file()
              + ": no stack of this rig is up (nothing recorded in "
              + dir.path()
              + "): start one with `testrig up -f "
              + rig.file()
              + "`, or name one with -p");
    }
    if (kept.size() > 1) {
      throw TestrigException.badInput(
          rig.file()
              + ": several stacks of this rig are up ("
              + String.join(", ", kept.stream().map(KeepMarker::project).toList())
              + "): name one with -p");
    }
    return new StackTarget(
        rig, dir, runDir != null, kept.get(0).project(), Optional.of(kept.get(0)));
  }

  /**
   * The options that name this stack again in a hint: {@code -f RIG}, plus {@code --run-dir} and
   * {@code -p} when they were needed.
   */
  public String selector(boolean withProject) {
    StringBuilder sb = new StringBuilder("-f ").append(Shell.quote(String.valueOf(rig.file())));
    if (runDirGiven) {
      sb.append(" --run-dir ").append(Shell.quote(dir.path().toString()));
    }
    if (withProject) {
      sb.append(" -p ").append(project);
    }
    return sb.toString();
  }
}
