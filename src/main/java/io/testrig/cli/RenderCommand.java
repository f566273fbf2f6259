package io.testrig.cli;

import io.testrig.rig.Rig;
import io.testrig.run.Prepare;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import io.testrig.template.RenderResult;
import java.io.PrintWriter;
import java.util.Map;
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
    Rig r = rig.load();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    // The MXBeans are set up before the clock starts: measuring is not rendering.
    long start = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long processCpuStart = os.getProcessCpuTime();
    RunDir dir = RunDir.resolve(r, rig.runDir);
    try {
      SecretStore store = SecretStore.open(r, dir, rig.config, root.redactor);
      // Certs first: templates may point at them ({{ certs.db.cert_path }}).
      RenderResult result =
          Prepare.prepare(r, dir, store, Map.of(), rig.set, System.getenv()).render();
      long micros = (System.nanoTime() - start) / 1_000;
      long cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000;
      long processCpuMicros = (os.getProcessCpuTime() - processCpuStart) / 1_000;
      out.println("run dir: " + dir.path());
      out.println("config:  " + store.file() + (store.persistent() ? " (persistent)" : ""));
      for (RenderResult.Output o : result.files()) {
        out.printf(
            "wrote %s (%s%s)%n",
            o.relative(), o.mode(), o.secret() ? ", secrets" : o.rendered() ? "" : ", copied");
      }
      out.printf("%d files, %d with secrets%n", result.files().size(), result.secretFiles());
      if (timings) {
        // Wall time suffers when other processes share the cores; CPU time does not, so the
        // benchmark prints both: of the whole process (render workers, JIT and GC included) and
        // of this thread alone.
        out.printf(
            "render-ms %.1f%nrender-cpu-ms %.1f%nrender-thread-cpu-ms %.1f%n",
            micros / 1000.0, processCpuMicros / 1000.0, cpuMicros / 1000.0);
      }
      return 0;
    } catch (RuntimeException | Error e) {
      // A failed render leaves nothing behind: a run dir made just now goes again, with its CA key
      // and leaf keys; also after a Java Error (issue 7 item 5).
      if (dir.createdNow()) {
        dir.wipe();
      }
      throw e;
    }
  }
}
