package io.testrig.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.testrig.core.Exec;
import io.testrig.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `testrig ci pipeline`: the generated child pipeline validates against GitLab's schema (through
 * scripts/validate-ci.py, as {@link CiTemplatesTest}), has one job per config or per shard, and
 * checks config names against the rig before anything runs.
 */
class CiPipelineTest {
  @TempDir Path dir;
  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  /** A rig whose matrix has the given axes (each a list of values); no stack is needed. */
  private Path rig(String matrix) throws IOException {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "name: fan\n" + (matrix.isEmpty() ? "" : "matrix:\n" + matrix));
    return rig;
  }

  private static final String FOUR =
      "  ssl.min_protocol: [TLSv1.2, TLSv1.3]\n  db.cert: [true, false]\n";
  private static final String FORTY =
      "  pg: [13, 14, 15, 16, 17]\n  tls: [v12, v13]\n  locale: [C, en_US, de_DE, fr_FR]\n";

  private JsonNode generate(Path rig, Path file, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("ci", "pipeline", "-f", rig.toString(), "--image", "reg/testrig:1.2.3"));
    args.addAll(List.of(extra));
    args.addAll(List.of("-o", file.toString()));
    assertEquals(0, run(args.toArray(String[]::new)), cli.err());
    Exec.Result r = CiTemplatesTest.validate(List.of(file));
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr() + Files.readString(file));
    assertTrue(r.stdout().contains(file + ": ok"), r.stdout());
    return CiTemplatesTest.YAML.readTree(file.toFile());
  }

  private static List<String> jobNames(JsonNode doc) {
    List<String> names = new ArrayList<>();
    doc.fieldNames()
        .forEachRemaining(
            n -> {
              if (!n.equals("stages")) {
                names.add(n);
              }
            });
    return names;
  }

  /** Every `--only` of every job, in order. */
  private static List<String> onlys(JsonNode doc) {
    List<String> out = new ArrayList<>();
    Pattern only = Pattern.compile("--only ('[^']*'|\\S+)");
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> job = it.next();
      for (JsonNode line : job.getValue().path("script")) {
        Matcher m = only.matcher(line.asText());
        if (m.find()) {
          out.add(m.group(1).replace("'", ""));
        }
      }
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"1, ONE", "4, FOUR", "40, FORTY"})
  void oneJobPerConfigValidatesAgainstGitLabsSchema(int configs, String matrix) throws IOException {
    String axes = matrix.equals("FOUR") ? FOUR : matrix.equals("FORTY") ? FORTY : "  pg: [16]\n";
    Path file = dir.resolve("child.yml");
    JsonNode doc = generate(rig(axes), file);
    List<String> names = jobNames(doc);
    assertEquals(configs, names.size(), names.toString());
    assertEquals(configs, onlys(doc).size());
    for (String name : names) {
      JsonNode job = doc.path(name);
      // The job name carries the config's full name, the report file its slug.
      String config = name.substring("testrig [".length(), name.length() - 1);
      assertTrue(job.path("script").toString().contains("--only " + config), job.toString());
      assertEquals("reg/testrig:1.2.3", job.path("image").asText());
      assertEquals("[\"testrig gc\"]", job.path("after_script").toString());
      assertEquals("always", job.path("artifacts").path("when").asText());
      assertEquals("testrig-artifacts/junit*.xml", job.at("/artifacts/reports/junit").asText());
      assertEquals(
          dir.resolve("testrig.yml").toString(), job.at("/variables/TESTRIG_FILE").asText());
      assertTrue(job.path("script").toString().contains("$TESTRIG_ARGS"), job.toString());
    }
    assertTrue(names.contains("testrig [pg=16]") || configs != 1, names.toString());
    if (configs == 4) {
      assertTrue(
          names.contains("testrig [ssl.min_protocol=TLSv1.3,db.cert=false]"), names.toString());
      assertTrue(
          doc.toString().contains("--report testrig-artifacts/junit-tlsv1_3-false.xml"),
          doc.toString());
    }
  }

  @Test
  void maxJobsSplitsFortyConfigsIntoBalancedShardsEachConfigOnce() throws IOException {
    Path file = dir.resolve("child.yml");
    JsonNode doc =
        generate(rig(FORTY), file, "--max-jobs", "3", "--job-name", "e2e", "--stage", "e2e");
    List<String> names = jobNames(doc);
    assertEquals(3, names.size(), names.toString());
    assertEquals("[\"e2e\"]", doc.path("stages").toString());
    List<String> all = onlys(doc);
    assertEquals(40, all.size());
    assertEquals(40, all.stream().distinct().count());
    List<Integer> sizes = new ArrayList<>();
    for (String n : names) {
      assertTrue(n.startsWith("e2e [" + (names.indexOf(n) + 1) + " of 3: "), n);
      assertEquals("e2e", doc.path(n).path("stage").asText());
      int runs = 0;
      for (JsonNode line : doc.path(n).path("script")) {
        runs += line.asText().startsWith("testrig run ") ? 1 : 0;
      }
      sizes.add(runs);
    }
    assertEquals(List.of(14, 13, 13), sizes);
    // More jobs allowed than there are configs: one per config.
    assertEquals(4, jobNames(generate(rig(FOUR), file, "--max-jobs", "10")).size());
  }

  @Test
  void aShardJobRunsEveryConfigAndFailsWithTheFailingOnesCode() throws IOException {
    // The generated script, run by sh -e as GitLab's runner does, with a stand-in testrig on PATH
    // that fails the first config: the others still run, the job fails.
    Path file = dir.resolve("child.yml");
    JsonNode doc = generate(rig(FOUR), file, "--max-jobs", "1");
    String name = jobNames(doc).get(0);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path log = dir.resolve("calls.log");
    Files.writeString(
        bin.resolve("testrig"),
        "#!/bin/sh\necho \"$*\" >>"
            + log
            + "\ncase \"$*\" in *TLSv1.2,db.cert=true*) exit 4;; esac\n");
    bin.resolve("testrig").toFile().setExecutable(true);
    StringBuilder sh = new StringBuilder("set -e\nTESTRIG_FILE=r.yml\n");
    doc.path(name).path("script").forEach(l -> sh.append(l.asText()).append('\n'));
    Exec.Result r =
        new Exec()
            .workDir(dir)
            .env("PATH", bin + ":/usr/bin:/bin")
            .run(List.of("sh", "-c", sh.toString()), Duration.ofSeconds(30));
    assertEquals(4, r.exitCode(), r.stdout() + r.stderr());
    List<String> calls = Files.readAllLines(log);
    assertEquals(5, calls.size(), calls.toString()); // --version + 4 runs
    assertTrue(
        calls.get(4).contains("--only ssl.min_protocol=TLSv1.3,db.cert=false"), calls.toString());
  }

  @Test
  void unknownConfigsAreExit2NamingTheValidOnesBeforeAnythingIsWritten() throws IOException {
    Path rig = rig(FOUR);
    Path file = dir.resolve("child.yml");
    assertEquals(
        2,
        run(
            "ci",
            "pipeline",
            "-f",
            rig.toString(),
            "--image",
            "i:1",
            "--only",
            "tlsv1_2-true",
            "--only",
            "pg17",
            "--only",
            "ssl=on",
            "-o",
            file.toString()));
    String e = cli.err();
    assertEquals(1, e.lines().count(), e);
    assertTrue(
        e.startsWith("testrig: " + rig + ": unknown matrix config 'pg17', 'ssl=on' (valid: all, "),
        e);
    assertTrue(e.contains("ssl.min_protocol=TLSv1.3,db.cert=false (tlsv1_3-false)"), e);
    assertFalse(Files.exists(file));
    cli.clear();
    assertEquals(
        2, run("ci", "check", "-f", rig.toString(), "--matrix", "[\"tlsv1_3-true\", \"nope\"]"));
    assertTrue(cli.err().contains("unknown matrix config 'nope' (valid: all, "), cli.err());
    cli.clear();
    assertEquals(2, run("ci", "check", "-f", rig.toString(), "--matrix", "[\"a\""));
    assertTrue(cli.err().startsWith("testrig: --matrix: not a JSON list"), cli.err());
    cli.clear();
    assertEquals(
        2, run("ci", "pipeline", "-f", rig.toString(), "--image", "i:1", "--max-jobs", "-1"));
    assertEquals("testrig: --max-jobs must be 0 (one job per config) or more\n", cli.err());
  }

  @Test
  void checkListsTheSelectedConfigs() throws IOException {
    Path rig = rig(FOUR);
    assertEquals(
        0,
        run(
            "ci",
            "check",
            "-f",
            rig.toString(),
            "--matrix",
            "[\"tlsv1_3-true\", \"ssl.min_protocol=TLSv1.2,db.cert=false\"]"));
    assertEquals(
        rig
            + ": 2 config(s) selected\n"
            + "  ssl.min_protocol=TLSv1.2,db.cert=false (tlsv1_2-false)\n"
            + "  ssl.min_protocol=TLSv1.3,db.cert=true (tlsv1_3-true)\n",
        cli.out());
    cli.clear();
    assertEquals(0, run("ci", "check", "-f", rig.toString(), "--matrix", "[\"all\"]"));
    assertTrue(cli.out().startsWith(rig + ": 4 config(s) selected"), cli.out());
  }

  @Test
  void theCommandsInDocsCiMdWorkOnTheExample() throws IOException {
    // docs/ci.md, "testrig ci pipeline and testrig ci check", with -o in the temp dir.
    Path out = dir.resolve("testrig-pipeline.yml");
    assertEquals(
        0,
        run(
            "ci",
            "pipeline",
            "-f",
            "examples/postgres-ssl/testrig.yml",
            "--image",
            "registry.gitlab.com/testrig/testrig:1.2.3",
            "-o",
            out.toString()));
    assertTrue(cli.out().startsWith(out + ": 4 config(s) in 4 job(s)\n"), cli.out());
    assertEquals(0, CiTemplatesTest.validate(List.of(out)).exitCode());
    cli.clear();
    assertEquals(
        0,
        run(
            "ci",
            "check",
            "-f",
            "examples/postgres-ssl/testrig.yml",
            "--only",
            "tlsv1_2-true",
            "--only",
            "tlsv1_3-false"));
    assertTrue(cli.out().contains(": 2 config(s) selected"), cli.out());
  }

  @Test
  void aRigWithoutMatrixIsOneJobWithoutOnly() throws IOException {
    Path rig = rig("");
    JsonNode doc = generate(rig, dir.resolve("child.yml"));
    assertEquals(List.of("testrig"), jobNames(doc));
    assertTrue(onlys(doc).isEmpty());
    assertTrue(doc.toString().contains("--report testrig-artifacts/junit.xml"), doc.toString());
    assertEquals(2, run("ci", "check", "-f", rig.toString(), "--only", "pg16"));
    assertTrue(cli.err().contains("(valid: all; the rig has no matrix)"), cli.err());
  }

  @Test
  void withoutOutputTheYamlGoesToStdoutAndTheImageDefaultsToTheJobsOwn() throws IOException {
    Path rig = rig(FOUR);
    // In a GitLab job (this project's own pipeline) CI_JOB_IMAGE is set and is the default.
    String jobImage = System.getenv("CI_JOB_IMAGE");
    if (jobImage == null || jobImage.isBlank()) {
      assertEquals(2, run("ci", "pipeline", "-f", rig.toString()));
      assertEquals("testrig: --image: none given and $CI_JOB_IMAGE is not set\n", cli.err());
    } else {
      assertEquals(0, run("ci", "pipeline", "-f", rig.toString()), cli.err());
      assertTrue(cli.out().contains("image: " + jobImage), cli.out());
    }
    cli.clear();
    cli.clear();
    assertEquals(
        0, run("ci", "pipeline", "-f", rig.toString(), "--image", "x:1", "--only", "tlsv1_2-true"));
    assertTrue(cli.out().startsWith("# Generated by `testrig ci pipeline` from " + rig), cli.out());
    assertTrue(cli.out().contains("testrig [ssl.min_protocol=TLSv1.2,db.cert=true]:"), cli.out());
  }
}
