package io.testrig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules about our own sources that no compiler checks. */
class SourceRulesTest {

  /**
   * docker-java's {@code withImageNameFilter} sends the pre-1.25 {@code filter=} query parameter;
   * dockerd at API 1.41 ignores it and lists every image, so "is this image here?" always answered
   * yes on an engine with any image at all (issue 7, point 16). Inspect by name, or use the {@code
   * reference} filter, instead.
   */
  @Test
  void noImageListingByTheIgnoredNameFilter() throws IOException {
    String banned = "withImage" + "NameFilter(";
    assertEquals(List.of(), javaFilesContaining(banned));
  }

  /**
   * docker-java is the Docker adapter's business only (issue 8): orchestration talks to {@code
   * io.testrig.backend.Backend}, so a second backend or the unit tests' fake can stand in for it.
   */
  @Test
  void dockerJavaOnlyInTheDockerAdapter() throws IOException {
    Path adapter = Path.of("src", "main", "java", "io", "testrig", "backend", "docker");
    List<Path> outside;
    try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
      outside =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.startsWith(adapter))
              .filter(p -> read(p).contains("com.github." + "dockerjava"))
              .sorted()
              .toList();
    }
    assertEquals(List.of(), outside);
    try (Stream<Path> files = Files.walk(adapter)) {
      // The rule must look at something: the adapter itself does use docker-java.
      assertTrue(
          files
              .filter(Files::isRegularFile)
              .anyMatch(p -> read(p).contains("import com.github." + "dockerjava")));
    }
  }

  /**
   * What {@code cli} may use of testrig: commands only parse options and print (issue 8, item 3),
   * so they reach the work through the services in {@code run} and value types, never the compose
   * or engine internals ({@code Stack}, {@code Reaper}, {@code Bringup}, {@code StackService},
   * ...). The engine is reached only through {@code EngineOptions}' start policy, validation
   * through its one entry point. docs/development.md lists the same set.
   */
  static final Set<String> CLI_MAY_USE =
      Set.of(
          "core",
          "rig",
          "run",
          "report",
          "ci",
          "pki",
          "template",
          "dev",
          "validate",
          "engine.Engine",
          "engine.EngineStartPolicy");

  @Test
  void cliUsesOnlyServiceLevelPackages() throws IOException {
    Pattern ref = Pattern.compile("\\bio\\.testrig\\.([a-z]+)(?:\\.([A-Z]\\w*))?");
    List<String> bad = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/main/java/io/testrig/cli"))) {
      for (Path f : files.sorted().toList()) {
        for (String line : read(f).split("\n")) {
          if (line.startsWith("package ")) {
            continue;
          }
          Matcher m = ref.matcher(line);
          while (m.find()) {
            String pkg = m.group(1);
            String cls = pkg + "." + m.group(2);
            if (!pkg.equals("cli") && !CLI_MAY_USE.contains(pkg) && !CLI_MAY_USE.contains(cls)) {
              bad.add(f.getFileName() + ": " + line.strip());
            }
          }
        }
      }
    }
    assertEquals(List.of(), bad);
  }

  static List<Path> javaFilesContaining(String text) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src"))) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> read(p).contains(text))
          .sorted()
          .toList();
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
