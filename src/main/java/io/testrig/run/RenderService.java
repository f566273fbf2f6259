package io.testrig.run;

import io.testrig.core.Redactor;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code testrig render}: certs, then templates, into the rig's run directory ({@link Prepare}),
 * timed for {@code bench/render.sh}.
 */
public final class RenderService {
  /**
   * What was rendered and where, and how long it took.
   *
   * @param configFile the config.json the secrets came from
   * @param persistent whether that is a persistent one ({@code --config}, {@code secrets.config})
   */
  public record Rendered(
      Path runDir, Path configFile, boolean persistent, Prepare.Prepared made, Timings timings) {}

  /**
   * In-process render time. Wall time suffers when other processes share the cores; CPU time does
   * not, so the benchmark reads both: of the whole process (render workers, JIT and GC included)
   * and of the rendering thread alone.
   */
  public record Timings(double wallMs, double processCpuMs, double threadCpuMs) {}

  private RenderService() {}

  /**
   * Renders with secrets from {@code config} (or the run directory's config.json) and values from
   * {@code set} and {@code env}. A failed render leaves nothing behind: a run directory made just
   * now goes again, with its CA key and leaf keys, also after a Java Error (issue 7 item 5).
   */
  public static Rendered render(
      Rig rig,
      Path runDir,
      Path config,
      Map<String, String> set,
      Map<String, String> env,
      Redactor redactor) {
    // The clock starts after the MXBeans are set up: measuring is not rendering.
    Stopwatch watch = new Stopwatch();
    RunDir dir = RunDir.resolve(rig, runDir);
    try {
      SecretStore store = SecretStore.open(rig, dir, config, redactor);
      // Certs first: templates may point at them ({{ certs.db.cert_path }}).
      Prepare.Prepared made = Prepare.prepare(rig, dir, store, Map.of(), set, env);
      Timings t = watch.stop();
      return new Rendered(dir.path(), store.file(), store.persistent(), made, t);
    } catch (RuntimeException | Error e) {
      if (dir.createdNow()) {
        dir.wipe();
      }
      throw e;
    }
  }

  /** Wall, process CPU and thread CPU time since it was made. */
  private static final class Stopwatch {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final long start = System.nanoTime();
    private final long cpuStart = threads.getCurrentThreadCpuTime();
    private final long processCpuStart = os.getProcessCpuTime();

    Timings stop() {
      long micros = (System.nanoTime() - start) / 1_000;
      long cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000;
      long processCpuMicros = (os.getProcessCpuTime() - processCpuStart) / 1_000;
      return new Timings(micros / 1000.0, processCpuMicros / 1000.0, cpuMicros / 1000.0);
    }
  }
}
