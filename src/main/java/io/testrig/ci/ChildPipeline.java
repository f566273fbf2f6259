package io.testrig.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.testrig.core.TestrigException;
import io.testrig.rig.Matrix;
import io.testrig.rig.Rig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code testrig ci pipeline}: a GitLab child pipeline with one job per matrix config of a rig, or
 * per shard of configs, each running {@code testrig run --only} exactly as the component's job does
 * (same image, rig file, {@code $TESTRIG_ARGS}, {@code after_script: testrig gc}, artifacts {@code
 * when: always}, {@code reports: junit}). The parent triggers it with {@code trigger: include:
 * artifact:} (https://docs.gitlab.com/ci/pipelines/downstream_pipelines/#dynamic-child-pipelines).
 */
public final class ChildPipeline {
  /** GitLab refuses job names longer than this (ci/yaml: "job names must be 255 characters"). */
  static final int MAX_JOB_NAME = 255;

  /** The value of {@code --only}/{@code --matrix} that selects every config. */
  public static final String ALL = "all";

  /**
   * How the generated jobs look; the component passes its own inputs, so parent and child agree.
   *
   * @param rigFile the rig file as the job sees it (relative to $CI_PROJECT_DIR, or absolute)
   * @param image the testrig builder image with its tag
   * @param jobName job name prefix; each job gets {@code " [config]"} appended
   * @param stage the stage of every job
   * @param timeout job timeout (GitLab duration text)
   * @param expireIn how long GitLab keeps the artifacts
   * @param artifactPaths paths kept as artifacts
   * @param maxJobs at most this many jobs (configs are split into contiguous shards); 0: one job
   *     per config
   */
  public record Options(
      String rigFile,
      String image,
      String jobName,
      String stage,
      String timeout,
      String expireIn,
      List<String> artifactPaths,
      int maxJobs) {
    public Options {
      artifactPaths = List.copyOf(artifactPaths);
      require(image, "--image");
      require(jobName, "--job-name");
      require(stage, "--stage");
      if (maxJobs < 0) {
        throw TestrigException.badInput("--max-jobs must be 0 (one job per config) or more");
      }
    }

    private static void require(String value, String option) {
      if (value == null || value.isBlank()) {
        throw TestrigException.badInput(option + " must not be empty");
      }
    }
  }

  /** One generated job: its name and the configs it runs, in matrix order. */
  public record Job(String name, List<Matrix.Config> configs) {}

  private ChildPipeline() {}

  /**
   * The configs {@code names} select, in matrix order: every config when empty or when one of them
   * is {@code all}; each name is a config's full name or its slug. Every unknown name is reported
   * at once, with the valid ones, before anything runs.
   */
  public static List<Matrix.Config> select(Rig rig, List<String> names) {
    List<Matrix.Config> all = Matrix.expand(rig);
    if (names.isEmpty() || names.contains(ALL)) {
      return all;
    }
    Set<Matrix.Config> picked = new HashSet<>();
    Set<String> unknown = new LinkedHashSet<>();
    for (String n : names) {
      Matrix.Config hit =
          all.stream()
              .filter(c -> !c.isSingle() && (c.name().equals(n) || c.slug().equals(n)))
              .findFirst()
              .orElse(null);
      if (hit == null) {
        unknown.add("'" + n + "'");
      } else {
        picked.add(hit);
      }
    }
    if (!unknown.isEmpty()) {
      throw TestrigException.badInput(
          rig.file()
              + ": unknown matrix config "
              + String.join(", ", unknown)
              + " (valid: "
              + valid(all)
              + ")");
    }
    return all.stream().filter(picked::contains).toList();
  }

  /** The names {@link #select} accepts, for error messages. */
  static String valid(List<Matrix.Config> all) {
    if (all.size() == 1 && all.get(0).isSingle()) {
      return ALL + "; the rig has no matrix";
    }
    StringJoiner j = new StringJoiner(", ", ALL + ", ", "");
    all.forEach(c -> j.add(c.name() + " (" + c.slug() + ")"));
    return j.toString();
  }

  /**
   * The jobs: one per config, or with {@code maxJobs} at most that many contiguous shards whose
   * sizes differ by at most one (matrix order keeps configs sharing the first axis together).
   */
  public static List<Job> jobs(List<Matrix.Config> configs, Options opts) {
    int n = configs.size();
    int shards = opts.maxJobs() == 0 ? n : Math.min(opts.maxJobs(), n);
    List<Job> jobs = new ArrayList<>(shards);
    int from = 0;
    for (int i = 0; i < shards; i++) {
      int size = n / shards + (i < n % shards ? 1 : 0);
      List<Matrix.Config> part = configs.subList(from, from + size);
      from += size;
      jobs.add(new Job(jobName(opts.jobName(), part, i + 1, shards, n), List.copyOf(part)));
    }
    return jobs;
  }

  /**
   * {@code testrig [pg=16,ssl=true]} as GitLab names a {@code parallel:matrix} job; a shard lists
   * its configs ({@code testrig [2 of 3: 16-true 16-false]}). Falls back to slugs, then to the
   * shard number alone, to stay within GitLab's limit.
   */
  static String jobName(String prefix, List<Matrix.Config> part, int index, int total, int n) {
    if (part.size() == 1 && part.get(0).isSingle()) {
      return prefix;
    }
    String shard = total == n ? "" : index + " of " + total + ": ";
    List<String> candidates = new ArrayList<>();
    if (part.size() == 1) {
      candidates.add(prefix + " [" + shard + part.get(0).name() + "]");
    }
    StringJoiner slugs = new StringJoiner(" ");
    part.forEach(c -> slugs.add(c.slug()));
    candidates.add(prefix + " [" + shard + slugs + "]");
    for (String c : candidates) {
      if (c.length() <= MAX_JOB_NAME) {
        return c;
      }
    }
    return prefix + " [" + index + " of " + total + "]";
  }

  /** The child pipeline's YAML: a comment saying where it came from, then the jobs. */
  public static String yaml(Rig rig, List<Job> jobs, Options opts) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("stages", List.of(opts.stage()));
    Set<String> reportNames = new HashSet<>();
    for (Job j : jobs) {
      doc.put(j.name(), job(j, opts, reportNames));
    }
    ObjectMapper yaml =
        new ObjectMapper(
            YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build());
    int configs = jobs.stream().mapToInt(j -> j.configs().size()).sum();
    try {
      return "# Generated by `testrig ci pipeline` from "
          + opts.rigFile()
          + " ("
          + rig.displayName()
          + "): "
          + configs
          + " config(s) in "
          + jobs.size()
          + " job(s). Do not edit; regenerate.\n"
          + yaml.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML", e);
    }
  }

  private static Map<String, Object> job(Job j, Options opts, Set<String> reportNames) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("stage", opts.stage());
    job.put("image", opts.image());
    job.put("timeout", opts.timeout());
    job.put("variables", Map.of("TESTRIG_FILE", opts.rigFile()));
    job.put("script", script(j, reportNames));
    // Runs also when the job is cancelled or timed out: removes what a killed run left behind.
    job.put("after_script", List.of("testrig gc"));
    Map<String, Object> artifacts = new LinkedHashMap<>();
    artifacts.put("when", "always");
    artifacts.put("expire_in", opts.expireIn());
    artifacts.put("paths", opts.artifactPaths());
    artifacts.put("reports", Map.of("junit", REPORT_DIR + "/junit*.xml"));
    job.put("artifacts", artifacts);
    return job;
  }

  /** Where each config's JUnit XML goes, inside the default artifact directory. */
  static final String REPORT_DIR = "testrig-artifacts";

  /**
   * One {@code testrig run} per config, each with its own report {@code junit-<slug>.xml}. In a
   * shard a failing config does not stop the next; the job exits with the last non-zero code.
   * $TESTRIG_ARGS and DOCKERD_ARGS come from the trigger job (GitLab forwards its variables), so a
   * secret referenced there is never written into this file.
   */
  static List<String> script(Job j, Set<String> reportNames) {
    List<String> lines = new ArrayList<>(List.of("testrig --version"));
    boolean shard = j.configs().size() > 1;
    if (shard) {
      lines.add("TESTRIG_RC=0");
    }
    for (Matrix.Config c : j.configs()) {
      StringBuilder cmd = new StringBuilder("testrig run -f \"$TESTRIG_FILE\"");
      String report = REPORT_DIR + "/junit.xml";
      if (!c.isSingle()) {
        cmd.append(" --only ").append(shellQuote(c.name()));
        report = REPORT_DIR + "/" + unique("junit-" + c.slug(), reportNames) + ".xml";
      }
      cmd.append(" --report ").append(report).append(" $TESTRIG_ARGS");
      lines.add(shard ? cmd + " || TESTRIG_RC=$?" : cmd.toString());
    }
    if (shard) {
      lines.add("exit $TESTRIG_RC");
    }
    return lines;
  }

  /** Slugs may collide ({@code a b} and {@code a_b}); report file names must not. */
  private static String unique(String base, Set<String> taken) {
    String name = base;
    for (int i = 2; !taken.add(name); i++) {
      name = base + "-" + i;
    }
    return name;
  }

  /** POSIX single quotes: the config name reaches testrig as one argument, whatever it holds. */
  static String shellQuote(String s) {
    if (s.matches("[A-Za-z0-9_.,=:/+-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * A list option's value as the component passes it: GitLab interpolates an array input inside a
   * string as JSON ({@code ["pg15", "pg16"]}); anything not starting with {@code [} is one item.
   */
  public static List<String> listValue(String value, String option) {
    String v = value.strip();
    if (!v.startsWith("[")) {
      return v.isEmpty() ? List.of() : List.of(v);
    }
    try {
      JsonNode node = new ObjectMapper().readTree(v);
      List<String> out = new ArrayList<>();
      for (JsonNode item : node) {
        if (!item.isValueNode() || item.isNull()) {
          throw TestrigException.badInput(option + ": expected a list of names, got " + item);
        }
        out.add(item.asText());
      }
      return out;
    } catch (JsonProcessingException e) {
      throw TestrigException.badInput(
          option + ": not a JSON list: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
  }

  /** Through a temporary sibling and a rename: a half-written pipeline is never triggered. */
  public static void write(Path file, String text) {
    Path abs = file.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      Path tmp = Files.createTempFile(abs.getParent(), ".testrig-pipeline-", ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw TestrigException.io("cannot write " + file + ": " + e, e);
    }
  }
}
