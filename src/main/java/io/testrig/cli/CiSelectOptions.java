package io.testrig.cli;

import io.testrig.ci.ChildPipeline;
import io.testrig.rig.Matrix;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The rig file and the configs a `testrig ci` command works on. */
final class CiSelectOptions {
  @Option(
      names = {"-f", "--file"},
      defaultValue = "testrig.yml",
      paramLabel = "FILE",
      description = "Rig file (default: ${DEFAULT-VALUE}); written into the jobs as given.")
  Path file;

  @Option(
      names = "--only",
      paramLabel = "CONFIG",
      description =
          "A matrix config, by name (pg=16,ssl=true) or slug (16-true); repeatable; `all` (the"
              + " default) selects every config.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--matrix",
      paramLabel = "JSON",
      description =
          "Configs as a JSON list, as GitLab interpolates an array input in a script:"
              + " '[\"pg15\", \"pg16\"]'; `all` or [\"all\"] selects every config.")
  String matrix;

  Rig load() {
    return new RigLoader().load(file);
  }

  /** The selected configs; an unknown name is exit 2 naming the valid ones. */
  List<Matrix.Config> select(Rig rig) {
    List<String> names = new ArrayList<>(only);
    if (matrix != null) {
      names.addAll(ChildPipeline.listValue(matrix, "--matrix"));
    }
    return ChildPipeline.select(rig, names);
  }
}
