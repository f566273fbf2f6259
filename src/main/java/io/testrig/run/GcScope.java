package io.testrig.run;

import io.testrig.compose.ProjectNames;
import io.testrig.engine.KeepMarker;
import io.testrig.engine.Labels;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import io.testrig.secrets.RunDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@code gc --project NAME} and {@code gc --rig FILE} limit gc to: resources by their labels,
 * run directories by their keep markers (a project) or their names (a rig's directories are named
 * after it, see {@link RunDir}).
 */
record GcScope(boolean all, Predicate<Map<String, String>> labels, Predicate<Path> runDirs) {
  static GcScope of(List<String> projects, List<Path> rigFiles) {
    if (projects.isEmpty() && rigFiles.isEmpty()) {
      return new GcScope(true, l -> true, d -> true);
    }
    List<String> runIds = projects.stream().map(ProjectNames::runIdOf).toList();
    List<String> rigPaths = new ArrayList<>();
    List<String> dirPrefixes = new ArrayList<>();
    for (Path f : rigFiles) {
      Rig rig = new RigLoader().load(f);
      rigPaths.add(rig.file().toAbsolutePath().normalize().toString());
      dirPrefixes.add(RunDir.locate(rig, null, null).path().getFileName().toString());
    }
    Predicate<Map<String, String>> labels =
        l ->
            projects.contains(l.get(Labels.COMPOSE_PROJECT))
                || runIds.contains(l.get(Labels.RUN_ID))
                || rigPaths.contains(l.get(Labels.RIG));
    Predicate<Path> dirs =
        d -> {
          String name = d.getFileName().toString();
          if (dirPrefixes.stream().anyMatch(p -> name.equals(p) || name.startsWith(p + "-"))) {
            return true;
          }
          return KeepMarker.list(d).stream().anyMatch(m -> projects.contains(m.project()));
        };
    return new GcScope(false, labels, dirs);
  }
}
