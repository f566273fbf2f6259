package io.testrig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command line in a fenced {@code sh}, {@code bash}, {@code shell} or {@code console} block
 * of docs/*.md is either run here, as written, in order, with {@code testrig} on PATH the way
 * README's Install section puts it there, from a directory where {@code examples/} and {@code
 * target/} are the checkout's; or listed in {@link #EXCLUDED} with the reason and the test that
 * covers it instead. A new command in the docs fails this test until it is one or the other, so the
 * docs cannot drift (issue 12, item 8). README's tutorial is {@link TutorialIT}'s.
 */
class DocsCommandsIT {
  /** Commands not run here, each with why and what covers it. */
  static final Map<String, String> EXCLUDED =
      Map.of(
          "testrig run -f \"$TESTRIG_FILE\" --report testrig-artifacts/junit.xml [--only CONFIG]"
              + " $TESTRIG_ARGS",
          "the CI template's script line, with its variables and an optional part;"
              + " DownstreamCiIT runs it through the component under gitlab-ci-local",
          "mvn -B -DskipTests package          # host build: target/testrig.jar +"
              + " target/image/junit-platform-console-standalone.jar",
          "the build itself: scripts/test.sh and every IT run it before they test",
          "docker build -t testrig .           # nothing is downloaded over HTTPS inside the build",
          "ImageIT builds the same Dockerfile as testrig-image-it:latest; tagging `testrig` here"
              + " would replace a user's image",
          "docker run --rm -v /var/run/docker.sock:/var/run/docker.sock -v \"$PWD:$PWD\" -w"
              + " \"$PWD\" -v /dev/shm/testrig-run:/dev/shm/testrig-run -e"
              + " XDG_RUNTIME_DIR=/dev/shm/testrig-run registry.gitlab.com/testrig/testrig:1 run"
              + " -f testrig.yml",
          "pulls the published image from GitLab's registry, which this machine cannot reach;"
              + " ImageE2EIT runs the locally built image the same way");

  /** Exit codes other than 0 that the docs show. */
  static final Map<String, Integer> EXIT_CODES =
      Map.of(
          "java -jar target/testrig.jar report merge examples/reports/api-pytest.xml"
              + " examples/reports/web-jest.xml -o report.xml",
          1);

  @TempDir Path work;

  @Test
  void everyDocsCommandRunsOrIsExcludedWithAReason() throws Exception {
    Map<String, String> commands = commands(Path.of("docs"));
    List<String> unknown = new ArrayList<>(EXCLUDED.keySet());
    unknown.removeAll(commands.keySet());
    assertEquals(List.of(), unknown, "excluded commands no longer in the docs");
    Path bin = Files.createDirectories(work.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("testrig"), Path.of("bin/testrig").toAbsolutePath());
    Files.createSymbolicLink(work.resolve("examples"), Path.of("examples").toAbsolutePath());
    Files.createSymbolicLink(work.resolve("target"), Path.of("target").toAbsolutePath());
    int ran = 0;
    try {
      for (Map.Entry<String, String> c : commands.entrySet()) {
        if (EXCLUDED.containsKey(c.getKey())) {
          continue;
        }
        String out = run(bin, c.getKey(), EXIT_CODES.getOrDefault(c.getKey(), 0), c.getValue());
        if (c.getKey().startsWith("testrig up ")) {
          assertTrue(out.contains("remove:   testrig down -f "), out);
        }
        ran++;
      }
    } finally {
      // A failed step must not leave the inner-loop block's stack running.
      new ProcessBuilder("bash", "-c", "testrig down -f examples/postgres-ssl/testrig.yml")
          .directory(work.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(2, TimeUnit.MINUTES);
    }
    assertTrue(ran >= 10, "commands run: " + ran);
    assertEquals(
        "",
        run(bin, "docker ps -aq --filter label=io.testrig.rig", 0, "check"),
        "the docs' commands left no stack behind");
  }

  /** Runs one line with bash in the work directory; its output. */
  private String run(Path bin, String line, int expected, String where) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", line)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // As on a developer's machine: not in CI (no GitLab sections, secrets may be shown).
    pb.environment().keySet().removeIf(k -> k.equals("CI") || k.startsWith("CI_"));
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), line);
    assertEquals(expected, p.exitValue(), where + ": " + line + "\n" + out);
    return out;
  }

  /**
   * The command lines of docs/*.md, in file and line order, each with its file:line: fenced
   * sh/bash/shell blocks line by line (continuations joined, comment-only lines skipped); in
   * console blocks only the lines after a {@code $ } prompt.
   */
  static Map<String, String> commands(Path docs) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(docs)) {
      files = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      String lang = null;
      StringBuilder cont = null;
      for (int i = 0; i < lines.size(); i++) {
        String l = lines.get(i).strip();
        if (l.startsWith("```")) {
          lang = lang == null ? l.substring(3).strip() : null;
          continue;
        }
        if (lang == null || !List.of("sh", "bash", "shell", "console").contains(lang)) {
          continue;
        }
        if (lang.equals("console")) {
          if (!l.startsWith("$ ")) {
            continue;
          }
          l = l.substring(2);
        }
        if (cont != null) {
          l = cont + " " + l;
          cont = null;
        }
        if (l.endsWith("\\")) {
          cont = new StringBuilder(l.substring(0, l.length() - 1).strip());
          continue;
        }
        if (!l.isEmpty() && !l.startsWith("#")) {
          out.put(l, f + ":" + (i + 1));
        }
      }
    }
    return out;
  }
}
