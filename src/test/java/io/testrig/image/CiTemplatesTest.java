package io.testrig.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.testrig.core.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI templates and the project's pipeline against GitLab's own schema
 * (../shared/schemas/gitlab-ci.schema.json), through scripts/validate-ci.py with Debian's
 * python3-jsonschema: no JSON-schema library for Java is among the project's dependencies, and a
 * draft-07 validator is not worth one for a test. The script resolves `spec` headers as GitLab
 * does.
 */
class CiTemplatesTest {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path SCHEMA = ROOT.resolve("../shared/schemas/gitlab-ci.schema.json");
  static final Path COMPONENT = ROOT.resolve("ci-templates/templates/testrig.yml");
  static final Path CLASSIC = ROOT.resolve("ci-templates/testrig.gitlab-ci.yml");

  /** Debian's python, which has python3-jsonschema and python3-yaml (scripts/setup-host.sh). */
  static final String PYTHON = "/usr/bin/python3";

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Exec.Result validate(List<Path> files) {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, "scripts/validate-ci.py"));
    cmd.addAll(List.of("--schema", SCHEMA.toString()));
    files.forEach(f -> cmd.add(f.toString()));
    return new Exec().workDir(ROOT).run(cmd, Duration.ofMinutes(2));
  }

  static List<Path> ciFiles() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve(".gitlab-ci.yml"), CLASSIC));
    try (var s = Files.list(ROOT.resolve("ci-templates/templates"))) {
      s.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
    }
    files.add(ROOT.resolve("ci-templates/example/.gitlab-ci.yml"));
    return files;
  }

  @Test
  void everyTemplateAndThePipelineMatchGitLabsSchema() throws IOException {
    List<Path> files = ciFiles();
    Exec.Result r = validate(files);
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    for (Path f : files) {
      assertTrue(r.stdout().contains(f + ": ok"), f + " not reported ok: " + r.stdout());
    }
  }

  @Test
  void theValidatorRejectsWhatGitLabWouldReject(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(
        bad,
        """
        spec:
          inputs:
            unused:
              type: string
              default: a
        ---
        job:
          script:
            - echo $[[ inputs.undeclared ]]
          artifacts:
            when: sometimes
        """);
    Exec.Result r = validate(List.of(bad));
    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains(bad + ": job.artifacts.when: "), r.stdout());
    assertTrue(r.stdout().contains("input 'undeclared' is used but not declared"), r.stdout());
    assertTrue(r.stdout().contains("spec.inputs.unused is declared but never used"), r.stdout());
  }

  @Test
  void theComponentsArrayInputsKeepTheirTypeWhenResolved(@TempDir Path dir) throws IOException {
    // A fan-out of two configs must become parallel:matrix with a two-element list, and a wrong
    // type (a string where GitLab wants a list) must fail: proves the substitution is typed.
    Exec.Result ok =
        new Exec()
            .workDir(ROOT)
            .run(
                List.of(
                    PYTHON,
                    "scripts/validate-ci.py",
                    "--schema",
                    SCHEMA.toString(),
                    "--input",
                    "matrix=[\"pg15\", \"pg16\"]",
                    COMPONENT.toString()),
                Duration.ofMinutes(2));
    assertEquals(0, ok.exitCode(), ok.stdout());
    Exec.Result wrong =
        new Exec()
            .workDir(ROOT)
            .run(
                List.of(
                    PYTHON,
                    "scripts/validate-ci.py",
                    "--schema",
                    SCHEMA.toString(),
                    "--input",
                    "artifact-paths=logs/",
                    COMPONENT.toString()),
                Duration.ofMinutes(2));
    assertEquals(1, wrong.exitCode(), wrong.stdout());
    assertTrue(wrong.stdout().contains("artifacts.paths"), wrong.stdout());
  }

  @Test
  void componentVersionIsTheImageVersion() throws IOException {
    // Tagging the project X.Y.Z publishes component X.Y.Z and image X.Y.Z; the component's
    // default image-version must be that same release (the pom version without -SNAPSHOT).
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>testrig</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertTrue(m.find(), "project version in pom.xml");
    String release = m.group(1).replace("-SNAPSHOT", "");
    JsonNode inputs = header(COMPONENT).path("spec").path("inputs");
    assertEquals(release, inputs.path("image-version").path("default").asText());
    JsonNode classic = YAML.readTree(CLASSIC.toFile());
    assertEquals(
        inputs.path("image").path("default").asText() + ":" + release,
        classic.path("variables").path("TESTRIG_IMAGE").asText());
  }

  @Test
  void classicTemplateRunsTheSameJobAsTheComponent() throws IOException {
    JsonNode component = body(COMPONENT).path("$[[ inputs.job-name ]]");
    JsonNode classic = YAML.readTree(CLASSIC.toFile()).path(".testrig");
    for (String key : List.of("script", "after_script")) {
      assertEquals(component.path(key), classic.path(key), key);
    }
    assertEquals(
        component.path("artifacts").path("reports"), classic.path("artifacts").path("reports"));
    assertEquals("always", component.path("artifacts").path("when").asText());
    assertEquals("always", classic.path("artifacts").path("when").asText());
    assertEquals("[\"testrig gc\"]", component.path("after_script").toString());
  }

  static JsonNode header(Path file) throws IOException {
    return documents(file).get(0);
  }

  static JsonNode body(Path file) throws IOException {
    return documents(file).get(1);
  }

  static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        docs.add((JsonNode) it.next());
      }
    }
    return docs;
  }
}
