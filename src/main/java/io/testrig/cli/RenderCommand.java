package io.testrig.cli;

import io.testrig.run.RenderService;
import io.testrig.template.RenderResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Render templates with generated secrets into the run directory.",
      "Issues the rig's certs first (as `testrig certs` does), so templates can use them."
    })
final class RenderCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Option(
      names = "--timings",
      hidden = true,
      description = "Print in-process render time (for bench/render.sh).")
  boolean timings;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RenderService.Rendered r =
        RenderService.render(
            rig.load(), rig.runDir, rig.config, rig.set, System.getenv(), root.redactor);
    RenderResult result = r.made().render();
    out.println("run dir: " + r.runDir());
    out.println("config:  " + r.configFile() + (r.persistent() ? " (persistent)" : ""));
    for (RenderResult.Output o : result.files()) {
      out.printf(
          "wrote %s (%s%s)%n",
          o.relative(), o.mode(), o.secret() ? ", secrets" : o.rendered() ? "" : ", copied");
    }
    out.printf("%d files, %d with secrets%n", result.files().size(), result.secretFiles());
    if (timings) {
      RenderService.Timings t = r.timings();
      out.printf(
          "render-ms %.1f%nrender-cpu-ms %.1f%nrender-thread-cpu-ms %.1f%n",
          t.wallMs(), t.processCpuMs(), t.threadCpuMs());
    }
    return 0;
  }
}
