package io.testrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What GitLab's test report shows for a JUnit XML file, from
 * src/test/resources/gitlab/junit-view.rb (ActiveSupport's XML conversion on Nokogiri plus GitLab's
 * parser rules, see the script), run with Debian's ruby, ruby-nokogiri and ruby-activesupport
 * (scripts/setup-host.sh installs them).
 */
public record GitLabView(String error, Map<String, Integer> counts, List<Case> cases) {
  static final Path SCRIPT = Path.of("src/test/resources/gitlab/junit-view.rb");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One testcase as GitLab keeps it. {@code shown} is the text of its details view. */
  public record Case(
      String suite,
      String classname,
      String name,
      String status,
      String shown,
      String elementClass,
      String attachment,
      double time) {}

  public static GitLabView of(Path xml) {
    return run(xml, 500_000);
  }

  /** As an instance whose max_test_cases_per_report is {@code maxCases} reads it. */
  public static GitLabView of(Path xml, int maxCases) {
    return run(xml, maxCases);
  }

  private static GitLabView run(Path xml, int maxCases) {
    try {
      Path out = Files.createTempFile("gitlab-view-", ".json");
      try {
        List<String> cmd =
            List.of("ruby", SCRIPT.toString(), xml.toString(), "--max-cases", "" + maxCases);
        Process p =
            new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "junit-view.rb timed out");
        assertEquals(0, p.exitValue(), "junit-view.rb failed: " + err);
        return parse(JSON.readTree(out.toFile()));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run junit-view.rb: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static GitLabView parse(JsonNode root) {
    Map<String, Integer> counts = new TreeMap<>();
    root.get("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
    List<Case> cases = new ArrayList<>();
    JsonNode list = root.get("cases");
    if (list != null) {
      for (JsonNode c : list) {
        cases.add(
            new Case(
                text(c, "suite"),
                text(c, "classname"),
                text(c, "name"),
                text(c, "status"),
                text(c, "shown"),
                text(c, "element_class"),
                text(c, "attachment"),
                c.get("time").asDouble()));
      }
    }
    return new GitLabView(text(root, "error"), counts, cases);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The report was read (no error that blanks the job's report) with these counts. */
  public GitLabView assertCounts(int success, int failed, int error, int skipped) {
    assertNull(this.error, "GitLab would reject the report: " + this.error);
    assertEquals(
        Map.of("error", error, "failed", failed, "skipped", skipped, "success", success),
        counts,
        "counts by status");
    return this;
  }

  /** The one case with this name (whatever its classname). */
  public Case named(String name) {
    Case found = null;
    for (Case c : cases) {
      if (c.name().equals(name)) {
        assertNull(found, "two cases named " + name);
        found = c;
      }
    }
    assertNotNull(found, "no case named " + name + " in " + names());
    return found;
  }

  public List<String> names() {
    return cases.stream().map(c -> c.classname() + " / " + c.name()).toList();
  }

  /**
   * Every failed, errored or skipped case that has a text shows it as text, never as the hash of an
   * element's attributes, and a value the converter did not cast.
   */
  public GitLabView assertProblemsShownAsText() {
    for (Case c : cases) {
      if (c.status().equals("success") || c.elementClass().equals("NilClass")) {
        continue;
      }
      assertEquals("String", c.elementClass(), c + " shows a " + c.elementClass());
      assertTrue(!c.shown().startsWith("{"), c + " shows a hash");
    }
    return this;
  }
}
