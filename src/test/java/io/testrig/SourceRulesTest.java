package io.testrig;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
   * testrig speaks the engine API with its own small client in {@code backend.docker} (issue 11:
   * docker-java and its HTTP client cost ~200 ms per command before the first request); docker-java
   * stays in the tests as an independent view of the engine. No main source may use it, or Apache
   * HttpClient, again.
   */
  @Test
  void mainUsesNeitherDockerJavaNorApacheHttpClient() throws IOException {
    List<Path> using;
    try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
      using =
          files
              .filter(Files::isRegularFile)
              .filter(
                  p ->
                      read(p).contains("com.github." + "dockerjava")
                          || read(p).contains("org.apache." + "hc."))
              .sorted()
              .toList();
    }
    assertEquals(List.of(), using);
  }

  /**
   * The Docker adapter is orchestration's business only through {@code io.testrig.backend.Backend}
   * (issue 8): outside {@code backend.docker}, only {@code engine.Engine} connects it and {@code
   * validate.Validation} runs {@code ComposeCli}'s {@code config} (no engine needed).
   */
  @Test
  void theDockerAdapterIsReachedOnlyThroughEngine() throws IOException {
    Path adapter = Path.of("src", "main", "java", "io", "testrig", "backend", "docker");
    List<String> outside;
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      outside =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.startsWith(adapter))
              .filter(p -> read(p).contains("import io.testrig.backend." + "docker."))
              .map(p -> p.getFileName().toString())
              .sorted()
              .toList();
    }
    assertEquals(List.of("Engine.java", "Validation.java"), outside);
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
