package io.testrig.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark main for bench/redact.sh (not a test): copies a log through {@link RedactingWriter}
 * with the secrets of a file (one per line) registered, as testrig writes a suite's output.log, and
 * prints {@code RESULT ms=<in-process time>}.
 */
public final class RedactBench {
  private RedactBench() {}

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<String> secrets = Files.readAllLines(Path.of(args[2]));
    long start = System.nanoTime();
    Redactor redactor = new Redactor();
    for (int i = 0; i < secrets.size(); i++) {
      redactor.add("password.bench.s" + i, secrets.get(i));
    }
    char[] buf = new char[1 << 16];
    try (Reader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
        BufferedWriter file = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        Writer w = new RedactingWriter(file, redactor)) {
      int n;
      while ((n = r.read(buf)) > 0) {
        w.write(buf, 0, n);
      }
    }
    System.out.printf("RESULT ms=%.1f%n", (System.nanoTime() - start) / 1e6);
  }
}
