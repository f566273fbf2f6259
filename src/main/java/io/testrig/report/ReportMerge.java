package io.testrig.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code testrig report merge}: reads JUnit XML files, merges their suites into one report and
 * writes it. Exit code: {@link ExitCode#OK} when every testcase passed or was skipped, {@link
 * ExitCode#TESTS_FAILED} when any failed or errored, an input was unreadable, there was no testcase
 * at all, or the report was over GitLab's limits (see {@link JUnitWriter}).
 */
public final class ReportMerge {
  private ReportMerge() {}

  /** What the merge did: the write result, one line per unreadable input, and the exit code. */
  public record Outcome(JUnitWriter.Result written, List<String> inputErrors, ExitCode exitCode) {}

  public static Outcome run(
      List<Path> inputs,
      Path output,
      String name,
      Path secretsJson,
      Redactor redactor,
      JUnitWriter.Options options) {
    if (secretsJson != null) {
      addSecrets(secretsJson, redactor);
    }
    Report report = JUnitReader.readAll(name, inputs);
    List<String> errors = new ArrayList<>();
    for (TestSuite s : report.suites()) {
      for (TestCase c : s.cases()) {
        if (JUnitReader.READ_ERROR_CLASSNAME.equals(c.classname())) {
          errors.add(c.problems().get(0).message());
        }
      }
    }
    Report written = report.ensureNotEmpty();
    JUnitWriter.Result result = JUnitWriter.write(written, output, redactor, options);
    // From what was written: a report over GitLab's limits is replaced by an error testcase.
    Report.Totals t = result.totals();
    boolean failed = t.tests() == 0 || t.failures() + t.errors() > 0;
    return new Outcome(result, errors, failed ? ExitCode.TESTS_FAILED : ExitCode.OK);
  }

  /**
   * Registers every string value of a config.json (testrig's secrets file) with the redactor, under
   * its dotted path, so a report from a run can be merged later without leaking its secrets.
   */
  static void addSecrets(Path json, Redactor redactor) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(json));
    } catch (IOException e) {
      throw TestrigException.badInput(
          "cannot read secrets file " + json + ": " + e.getClass().getSimpleName());
    }
    if (root == null || !root.isObject()) {
      throw TestrigException.badInput("secrets file " + json + ": not a JSON object");
    }
    add("", root, redactor);
  }

  private static void add(String path, JsonNode node, Redactor redactor) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        add(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), redactor);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        add(path + "." + i, node.get(i), redactor);
      }
    } else if (node.isTextual()) {
      redactor.add(path, node.asText());
    }
  }
}
