package io.testrig.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.testrig.core.Exec;
import io.testrig.support.Cli;
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
    JsonNode component = body(COMPONENT).path(".$[[ inputs.job-name ]]-run");
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

  /** The configuration validate-ci.py checked: inputs resolved, `extends` merged. */
  static JsonNode resolved(Path file, String... inputs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, "scripts/validate-ci.py"));
    cmd.addAll(List.of("--schema", SCHEMA.toString(), "--print-resolved"));
    for (String i : inputs) {
      cmd.addAll(List.of("--input", i));
    }
    cmd.add(file.toString());
    Exec.Result r = new Exec().workDir(ROOT).run(cmd, Duration.ofMinutes(2));
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains(file + ": ok"), r.stdout());
    String prefix = file + ": resolved: ";
    String line = r.stdout().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    return new ObjectMapper().readTree(line.substring(prefix.length()));
  }

  @Test
  void theComponentsThreeFanOutModesValidateWithTheirInputsResolved() throws IOException {
    JsonNode none = resolved(COMPONENT, "fan-out=none");
    assertEquals("all", none.at("/testrig/variables/TESTRIG_ONLY").asText());
    assertTrue(none.path("testrig").path("parallel").isMissingNode(), none.toString());
    assertEquals("[\"testrig gc\"]", none.at("/testrig/after_script").toString());

    JsonNode parallel = resolved(COMPONENT, "matrix=[\"pg15\", \"pg16\"]");
    assertEquals(
        "[{\"TESTRIG_ONLY\":[\"pg15\",\"pg16\"]}]",
        parallel.at("/testrig/parallel/matrix").toString());
    assertEquals(".pre", parallel.at("/testrig-configs/stage").asText());
    assertTrue(
        parallel
            .at("/testrig-configs/script/0")
            .asText()
            .contains("--matrix '[\"pg15\", \"pg16\"]'"),
        parallel.toString());

    JsonNode child = resolved(COMPONENT, "fan-out=child-pipeline", "max-jobs=3", "job-name=e2e");
    JsonNode trigger = child.path("e2e");
    assertTrue(trigger.path("script").isMissingNode(), trigger.toString());
    assertEquals("depend", trigger.at("/trigger/strategy").asText());
    assertEquals("testrig-pipeline.yml", trigger.at("/trigger/include/0/artifact").asText());
    assertEquals("e2e-configs", trigger.at("/trigger/include/0/job").asText());
    JsonNode gen = child.path("e2e-configs");
    assertEquals("testrig-pipeline.yml", gen.at("/artifacts/paths/0").asText());
    assertEquals("never", gen.at("/variables/TESTRIG_DOCKERD").asText());
    assertTrue(gen.at("/script/0").asText().contains("--max-jobs 3 "), gen.toString());
    assertTrue(gen.at("/script/0").asText().contains("--job-name 'e2e'"), gen.toString());

    // A mode that does not exist is refused, as GitLab refuses an input outside its options.
    Exec.Result bad =
        new Exec()
            .workDir(ROOT)
            .run(
                List.of(
                    PYTHON,
                    "scripts/validate-ci.py",
                    "--schema",
                    SCHEMA.toString(),
                    "--input",
                    "fan-out=matrix",
                    COMPONENT.toString()),
                Duration.ofMinutes(2));
    assertEquals(1, bad.exitCode(), bad.stdout());
    assertTrue(bad.stdout().contains("spec.inputs.fan-out: 'matrix' is not one of"), bad.stdout());
  }

  @Test
  void theComponentsPreJobGeneratesAValidChildPipelineAndRejectsATypo(@TempDir Path dir)
      throws IOException {
    // The .pre job's command line, as the component resolves it, run through the shell into a
    // stand-in `testrig` that records its arguments; then testrig itself with those arguments.
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "matrix:\n  pg: [15, 16]\n  tls: [v12, v13]\n");
    for (String matrix : List.of("[\"all\"]", "[\"15-v12\", \"pg=16,tls=v13\"]", "[\"pg17\"]")) {
      String line =
          resolved(COMPONENT, "fan-out=child-pipeline", "matrix=" + matrix)
              .at("/testrig-configs/script/0")
              .asText();
      List<String> args = recordArgs(dir, line, rig);
      assertEquals("ci", args.get(0));
      Path child = dir.resolve("testrig-pipeline.yml");
      Files.deleteIfExists(child);
      List<String> run = new ArrayList<>(args);
      run.set(run.indexOf("testrig-pipeline.yml"), child.toString());
      Cli.Result r = Cli.exec(run);
      int code = r.code();
      String err = r.err();
      if (matrix.contains("pg17")) {
        assertEquals(2, code, err);
        assertTrue(
            err.contains("unknown matrix config 'pg17' (valid: all, pg=15,tls=v12 (15-v12)"), err);
        assertFalse(Files.exists(child));
        continue;
      }
      assertEquals(0, code, err);
      Exec.Result v = validate(List.of(child));
      assertEquals(0, v.exitCode(), v.stdout());
      JsonNode doc = YAML.readTree(child.toFile());
      int jobs = doc.size() - 1;
      assertEquals(matrix.contains("all") ? 4 : 2, jobs, doc.toString());
      assertEquals(
          "registry.gitlab.com/testrig/testrig:0.1.0",
          doc.at("/testrig [pg=15,tls=v12]/image").asText());
    }
  }

  /** Runs {@code line} with sh, a stand-in `testrig` on PATH; returns the arguments it got. */
  static List<String> recordArgs(Path dir, String line, Path rig) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path log = dir.resolve("args");
    Files.writeString(
        bin.resolve("testrig"),
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >" + log + "\n");
    bin.resolve("testrig").toFile().setExecutable(true);
    Exec.Result r =
        new Exec()
            .workDir(dir)
            .env("PATH", bin + ":/usr/bin:/bin")
            .env("TESTRIG_FILE", rig.toString())
            .run(List.of("sh", "-c", line), Duration.ofSeconds(30));
    assertEquals(0, r.exitCode(), r.stderr());
    return Files.readAllLines(log);
  }

  @Test
  void theClassicTemplatesFanOutModesSwitchByRules() throws IOException {
    JsonNode classic = YAML.readTree(CLASSIC.toFile());
    assertEquals("none", classic.at("/variables/TESTRIG_FAN_OUT").asText());
    assertEquals(
        "$TESTRIG_FAN_OUT != \"child-pipeline\"", classic.at("/testrig/rules/0/if").asText());
    assertEquals(
        "$TESTRIG_FAN_OUT != \"none\"", classic.at("/testrig-configs/rules/0/if").asText());
    assertEquals(".pre", classic.at("/testrig-configs/stage").asText());
    JsonNode trigger = classic.path("testrig-child-pipeline");
    assertEquals("$TESTRIG_FAN_OUT == \"child-pipeline\"", trigger.at("/rules/0/if").asText());
    assertEquals("depend", trigger.at("/trigger/strategy").asText());
    assertEquals("testrig-configs", trigger.at("/trigger/include/0/job").asText());
    assertTrue(
        classic
            .at("/testrig-configs/script/0")
            .asText()
            .startsWith("testrig ci pipeline -f \"$TESTRIG_FILE\" --matrix \"$TESTRIG_MATRIX\""),
        classic.toString());
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
