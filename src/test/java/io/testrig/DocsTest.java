package io.testrig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docs a newcomer can navigate (issue 12, item 8): a short README, the reference in docs/, and no
 * relative link or {@code #anchor} that leads nowhere after a section moves.
 */
class DocsTest {

  /** README.md stays an entry page; the reference lives in docs/ (issue 12, item 8). */
  static final long README_MAX_BYTES = 12 * 1024;

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  @Test
  void readmeIsAtMost12KiB() throws IOException {
    long size = Files.size(Path.of("README.md"));
    assertTrue(
        size <= README_MAX_BYTES,
        "README.md is " + size + " bytes, over " + README_MAX_BYTES + ": move reference to docs/");
  }

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("README.md"));
    files.add(Path.of("DEVELOPERS.md"));
    files.add(Path.of("examples/README.md"));
    files.add(Path.of("bench/README.md"));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    assertTrue(files.size() >= 10, "docs/ holds the reference pages: " + files);
    List<String> broken = new ArrayList<>();
    for (Path f : files) {
      broken.addAll(brokenLinks(f));
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void theCheckerFindsAMissingFileAndAMissingAnchor(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("b.md"), "# Stacks: `up`, `down`\n\n## Same\n\n## Same\n");
    Files.writeString(
        dir.resolve("a.md"),
        "# A\n[ok](b.md#stacks-up-down) [dup](b.md#same-1) [self](#a) [web](https://x.invalid/y)\n"
            + "[gone](c.md) [no anchor](b.md#same-2) `[code](c.md)`\n"
            + "```\n[fenced](c.md)\n```\n");
    assertEquals(
        List.of(dir.resolve("a.md") + ":3: c.md", dir.resolve("a.md") + ":3: b.md#same-2"),
        brokenLinks(dir.resolve("a.md")));
  }

  @Test
  void slugsFollowGitHub() {
    assertEquals("the-whole-job-run", slug("The whole job: `run`"));
    assertEquals("stacks-up-down-gc-engine", slug("Stacks: `up`, `down`, `gc`, `engine`"));
    assertEquals("certs-the-throw-away-pki", slug("`certs`: the throw-away PKI"));
    assertEquals(
        "testrig-ci-pipeline-and-testrig-ci-check",
        slug("`testrig ci pipeline` and `testrig ci check`"));
    assertEquals("snake_case-a--b", slug("snake_case a & b"));
  }

  /**
   * "file:line: target" for each relative link of {@code file} whose file or heading is missing.
   */
  static List<String> brokenLinks(Path file) throws IOException {
    List<String> broken = new ArrayList<>();
    List<String> lines = proseLines(file);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = LINK.matcher(INLINE_CODE.matcher(lines.get(i)).replaceAll(""));
      while (m.find()) {
        String target = m.group(1);
        if (!SCHEME.matcher(target).find() && !resolves(file, target)) {
          broken.add(file + ":" + (i + 1) + ": " + target);
        }
      }
    }
    return broken;
  }

  private static boolean resolves(Path from, String target) throws IOException {
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    Path file = path.isEmpty() ? from : from.resolveSibling(path).normalize();
    if (!Files.exists(file)) {
      return false;
    }
    if (hash < 0) {
      return true;
    }
    return file.toString().endsWith(".md") && anchors(file).contains(target.substring(hash + 1));
  }

  /** The anchors GitHub gives the file's headings; a repeated slug gets -1, -2, ... */
  static Set<String> anchors(Path file) throws IOException {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : proseLines(file)) {
      Matcher m = HEADING.matcher(line);
      if (m.matches()) {
        String s = slug(m.group(1));
        int n = seen.merge(s, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? s : s + "-" + n);
      }
    }
    return anchors;
  }

  /**
   * GitHub's heading anchor: link syntax reduced to its text, lower case, punctuation other than
   * '-' and '_' removed, each space a '-'.
   */
  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").strip();
    return text.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
        .replace(' ', '-');
  }

  /** The file's lines with fenced code blocks blanked, so line numbers stay true. */
  private static List<String> proseLines(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(file)) {
      boolean fence = line.stripLeading().startsWith("```");
      fenced ^= fence;
      out.add(fenced || fence ? "" : line);
    }
    return out;
  }
}
