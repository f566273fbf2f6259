package io.testrig.pki;

import io.testrig.rig.CertsSpec;
import io.testrig.rig.CertsSpec.LeafSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark, not a test (bench/certs.sh runs it): a CA plus 10 leaf certificates with every output
 * file, timed inside the JVM after start. The first round is what `testrig certs` pays (class
 * loading included); later rounds show the warm cost.
 */
public final class PkiBench {
  static final double GOAL_SECONDS = 0.5;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Map<String, LeafSpec> leaves = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      leaves.put(
          "svc" + i,
          new LeafSpec(
              List.of("svc" + i, "localhost"),
              List.of("127.0.0.1"),
              List.of("server", "client"),
              null,
              null,
              null,
              i == 0));
    }
    CertsSpec spec = new CertsSpec(null, leaves);
    SecureRandom random = new SecureRandom();
    double[] seconds = new double[rounds];
    double[] cpu = new double[rounds];
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    Path tmp = Files.createTempDirectory("testrig-pki-bench-");
    try {
      for (int r = 0; r < rounds; r++) {
        Path dir = tmp.resolve("r" + r);
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        PkiResult result =
            Pki.issue(
                spec,
                dir,
                dir.resolve("certs"),
                path -> {
                  byte[] b = new byte[16];
                  random.nextBytes(b);
                  return HexFormat.of().formatHex(b);
                });
        seconds[r] = (System.nanoTime() - t0) / 1e9;
        cpu[r] = (os.getProcessCpuTime() - c0) / 1e9;
        if (result.certs().size() != 10) {
          throw new IllegalStateException("expected 10 certs");
        }
      }
    } finally {
      try (var files = Files.walk(tmp)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    double[] warm = Arrays.copyOfRange(seconds, 1, rounds);
    Arrays.sort(warm);
    double median = warm.length == 0 ? seconds[0] : warm[warm.length / 2];
    double[] warmCpu = Arrays.copyOfRange(cpu, 1, rounds);
    Arrays.sort(warmCpu);
    double medianCpu = warmCpu.length == 0 ? cpu[0] : warmCpu[warmCpu.length / 2];
    // CPU seconds of the whole process (all threads, JIT included) are less disturbed than wall
    // time when other work shares the machine; on an idle machine wall <= CPU with 2+ cores.
    System.out.printf(
        "certs: CA + 10 leaves (ecdsa-p256; PEM, PKCS#8, 2 PKCS12 each), %d cores%n"
            + "  first run (what `testrig certs` pays): wall %.3f s = %.2f x the %.1f s goal,"
            + " process CPU %.3f s%n"
            + "  warm median of %d: wall %.3f s = %.2f x goal, process CPU %.3f s%n",
        Runtime.getRuntime().availableProcessors(),
        seconds[0],
        seconds[0] / GOAL_SECONDS,
        GOAL_SECONDS,
        cpu[0],
        warm.length,
        median,
        median / GOAL_SECONDS,
        medianCpu);
    System.out.printf(
        "RESULT first_wall=%.3f first_cpu=%.3f warm_wall=%.3f%n", seconds[0], cpu[0], median);
  }
}
