package io.testrig.cli;

import io.testrig.rig.Matrix;
import io.testrig.rig.Rig;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check config names against the rig's matrix and list the selected configs.",
      "Exit 2 naming the valid configs when one is unknown (the component runs this in .pre)."
    })
final class CiCheckCommand implements Callable<Integer> {
  @Mixin CiSelectOptions select;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Rig rig = select.load();
    List<Matrix.Config> configs = select.select(rig);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s: %d config(s) selected%n", select.file, configs.size());
    for (Matrix.Config c : configs) {
      out.println(
          c.isSingle() ? "  (the rig has no matrix)" : "  " + c.name() + " (" + c.slug() + ")");
    }
    return 0;
  }
}
