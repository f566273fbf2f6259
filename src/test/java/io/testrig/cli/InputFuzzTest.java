package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.testrig.support.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, "Proof": mutated example rig files through {@code validate}, {@code render} and {@code
 * certs}, and mutated JUnit XML through {@code report merge}, in process. For every case: exit 0 or
 * 2 (merge: 0, 1 or 2; never 5 or 70 for input), one stderr line per problem on an error, no hang
 * ({@link #CASE_TIMEOUT}), and no file written outside the run directory or the output path.
 *
 * <p>Seeded, so a failure repeats: the message names the case's seed and its input. The counts keep
 * the whole class to a few minutes on a loaded 2-core machine.
 */
class InputFuzzTest {
  // A longer exploration: mvn -Dtest=InputFuzzTest -Dfuzz.seed=N -Dfuzz.cases=5000 test
  private static final long SEED = Long.getLong("fuzz.seed", 0x7E57_0007L);
  private static final int RIG_CASES = Integer.getInteger("fuzz.cases", 400);
  private static final int JUNIT_CASES = Integer.getInteger("fuzz.cases", 400);
  private static final long CASE_TIMEOUT = 60;

  private static final ExecutorService POOL =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true); // a hung case must not keep the test JVM alive
            return t;
          });

  /** Tokens YAML and testrig treat specially; no absolute path, so writes stay in the sandbox. */
  private static final String[] YAML_TOKENS = {
    "*a",
    "&a x",
    "---",
    "...",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    ": ",
    "\t",
    "\"\\0x\"",
    "- ",
    "!!binary",
    "!x",
    "? ",
    "|",
    ">",
    "%YAML 1.2",
    "~",
    "null",
    "true",
    "-1",
    "0",
    "99999999999",
    "36500000",
    "1e400",
    "0x10",
    "\"{{ nope }}\"",
    "\"{{ password.db.x }}\"",
    "../x",
    "x/../../y",
    "\u00e9",
    "\u0001",
    "#",
    "<<: *a",
    "1.5",
    "\"\"",
    "[]",
    "{}",
    "x".repeat(300),
    "certs",
    "run",
    "password",
    "ca",
    "validity_days: 40000",
    "usage: [clinet]",
    "kind: chars",
    "length: 3",
    "key: rsa-2048",
    "mode: \"0000\"",
    "to: .",
    "dns: [\"a b\"]",
    "ip: [1.2.3]",
    "values: {}",
    "matrix: {a: [1, 2]}",
    "from: nope",
    "strip_suffix: \"\"",
    "[[[[[[[[",
    "}}}}",
    "\\u0000",
    "\"\\ud800\"",
    "[~]",
    "ip: [~]",
    "tcp: 0",
    "timeout: 99999999999h",
    "env_prefix: \"\"",
    "common_name: \"a,b\"",
    "validity_days: 2147483648",
    "{name: x, image: y}",
    "usage: [~]",
    "dns: [~]",
    "length: 99999",
    "db:",
    "  - x",
    "suites: [{name: s, image: i}]",
    "stack: {files: [c.yml]}",
  };

  private static final String[] XML_TOKENS = {
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "&#x1F4A9;",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE x [<!ENTITY a \"b\">]>",
    "&a;",
    "<testcase>",
    "</testsuite>",
    "<testsuite>",
    "time=\"-1\"",
    "tests=\"x\"",
    "\u0000",
    "<?xml version=\"1.1\"?>",
    "x".repeat(500),
    "<failure/>",
    "<skipped/>",
    "<error message=\"",
    "name=\"\"",
    "\"",
    "'",
    "<!--",
    "-->",
    "<system-out>",
    "</system-out>",
    "\ud800",
    "&#xD800;",
    "<testsuites>",
    "<!ENTITY % p SYSTEM \"file:///etc/passwd\">",
    "classname=\"a\u0007\"",
  };

  @TempDir static Path tmp;

  @AfterAll
  static void stopPool() {
    POOL.shutdownNow();
  }

  @Test
  void mutatedRigFilesExitZeroOrTwoWithOneLine() throws Exception {
    List<Path> seeds = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      for (Path d : s.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> f = Files.list(d)) {
          f.filter(p -> p.getFileName().toString().matches("testrig.*\\.yml"))
              .sorted()
              .forEach(seeds::add);
        }
      }
    }
    assertTrue(seeds.size() >= 2, "example rig files: " + seeds);
    Map<Path, Path> sandboxes = new TreeMap<>();
    for (Path seed : seeds) {
      sandboxes.computeIfAbsent(
          seed.getParent(), d -> copyTree(d, tmp.resolve("rig-" + d.getFileName())));
    }
    Map<String, Integer> outcomes = new TreeMap<>();
    Random master = new Random(SEED);
    String[] commands = {"validate", "validate", "render", "render", "certs"};
    for (int i = 0; i < RIG_CASES; i++) {
      long caseSeed = master.nextLong();
      Random r = new Random(caseSeed);
      Path seed = seeds.get(r.nextInt(seeds.size()));
      Path sandbox = sandboxes.get(seed.getParent());
      byte[] input = mutateText(Files.readString(seed), YAML_TOKENS, r);
      Path rig = sandbox.resolve("fuzz.yml");
      Files.write(rig, input);
      Map<String, String> before = snapshot(sandbox);
      Path runDir = sandbox.resolve("run");
      String command = commands[r.nextInt(commands.length)];
      List<String> args = new ArrayList<>(List.of(command, "-f", rig.toString()));
      if (!command.equals("validate")) {
        args.addAll(List.of("--run-dir", runDir.toString()));
      }
      Result res = run(args, caseSeed, input);
      String what = describe(caseSeed, args, input, res);
      assertTrue(res.code == 0 || res.code == 2, what);
      assertStderr(res, what);
      deleteTree(runDir);
      assertEquals(before, snapshot(sandbox), "wrote outside the run directory: " + what);
      outcomes.merge(command + " exit " + res.code, 1, Integer::sum);
    }
    assertMixed(outcomes, RIG_CASES);
  }

  /**
   * The mutations must reach both sides: inputs that still work and inputs that are refused, for
   * every command, or the fuzz test would prove nothing.
   */
  private static void assertMixed(Map<String, Integer> outcomes, int cases) {
    System.out.println("InputFuzzTest outcomes of " + cases + " cases: " + outcomes);
    outcomes.forEach(
        (k, v) -> assertTrue(v < cases, () -> "every case ended the same: " + outcomes));
    long kinds =
        outcomes.keySet().stream().map(k -> k.substring(0, k.indexOf(" exit"))).distinct().count();
    assertTrue(
        outcomes.size() >= 2 * kinds, () -> "each command needs a pass and a refusal: " + outcomes);
  }

  @Test
  void mutatedJunitXmlMergesWithoutInternalErrors() throws Exception {
    List<Path> seeds = new ArrayList<>();
    for (String dir : List.of("src/test/resources/junit", "examples/reports")) {
      try (Stream<Path> s = Files.list(Path.of(dir))) {
        s.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(seeds::add);
      }
    }
    assertTrue(seeds.size() >= 5, "JUnit seeds: " + seeds);
    Path box = Files.createDirectories(tmp.resolve("merge"));
    Map<String, Integer> outcomes = new TreeMap<>();
    Random master = new Random(SEED + 1);
    for (int i = 0; i < JUNIT_CASES; i++) {
      long caseSeed = master.nextLong();
      Random r = new Random(caseSeed);
      Path seed = seeds.get(r.nextInt(seeds.size()));
      byte[] input = mutateText(Files.readString(seed), XML_TOKENS, r);
      Path in = box.resolve("in.xml");
      Files.write(in, input);
      Path outFile = box.resolve("out/merged.xml");
      List<String> args = List.of("report", "merge", "-o", outFile.toString(), in.toString());
      Result res = run(args, caseSeed, input);
      String what = describe(caseSeed, args, input, res);
      // merge: 1 means a testcase failed or an input was malformed (an error testcase says so).
      assertTrue(res.code == 0 || res.code == 1 || res.code == 2, what);
      assertStderr(res, what);
      Set<String> written = snapshot(box).keySet();
      assertTrue(
          Set.of("in.xml", "out", "out/merged.xml").containsAll(written),
          () -> "wrote outside the output path: " + written + " " + what);
      deleteTree(box.resolve("out"));
      outcomes.merge("merge exit " + res.code, 1, Integer::sum);
    }
    assertMixed(outcomes, JUNIT_CASES);
  }

  /**
   * An error is one stderr line per problem (validate reports every problem it finds, issue 9),
   * each {@code testrig: ...}; a success or a merge of bad input at most one line.
   */
  private static void assertStderr(Result res, String what) {
    long lines = res.err.lines().count();
    if (res.code == 2) {
      assertTrue(lines >= 1, what);
      assertTrue(res.err.lines().allMatch(l -> l.startsWith("testrig: ")), what);
    } else {
      assertTrue(lines <= 1, what);
    }
  }

  private record Result(int code, String out, String err) {}

  /**
   * Runs one case. What reaches System.err directly (a library's own message) counts as stderr too:
   * a user sees it beside testrig's line.
   */
  private static Result run(List<String> args, long caseSeed, byte[] input) throws Exception {
    Cli cli = new Cli();
    ByteArrayOutputStream stray = new ByteArrayOutputStream();
    PrintStream savedErr = System.err;
    System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
    Future<Integer> f = POOL.submit(() -> cli.run(args));
    try {
      int code = f.get(CASE_TIMEOUT, TimeUnit.SECONDS);
      return new Result(code, cli.out(), cli.err() + stray.toString(StandardCharsets.UTF_8));
    } catch (TimeoutException e) {
      f.cancel(true);
      fail("hang: " + describe(caseSeed, args, input, new Result(-1, cli.out(), "")));
    } catch (ExecutionException e) {
      fail(
          "threw "
              + e.getCause()
              + ": "
              + describe(caseSeed, args, input, new Result(-1, cli.out(), cli.err())),
          e.getCause());
    } finally {
      System.setErr(savedErr);
    }
    throw new AssertionError("unreachable");
  }

  /**
   * One to three edits of the seed text: a token replaces a value, joins a line or gets a line of
   * its own; lines are deleted, duplicated, swapped or re-indented; the text is cut short; or a
   * byte is replaced, which may leave invalid UTF-8.
   */
  static byte[] mutateText(String seed, String[] tokens, Random r) {
    List<String> lines = new ArrayList<>(List.of(seed.split("\n", -1)));
    int edits = 1 + r.nextInt(3);
    boolean flipByte = false;
    for (int e = 0; e < edits; e++) {
      int n = lines.size();
      int at = r.nextInt(n);
      String line = lines.get(at);
      String token = tokens[r.nextInt(tokens.length)];
      switch (r.nextInt(9)) {
        case 0 -> {
          int colon = line.indexOf(": ");
          lines.set(at, colon < 0 ? line + token : line.substring(0, colon + 2) + token);
        }
        case 1 -> lines.set(at, insertAt(line, token, r));
        case 2 -> lines.add(at, " ".repeat(2 * r.nextInt(4)) + token);
        case 3 -> lines.remove(at);
        case 4 -> lines.add(at, line);
        case 5 -> {
          int other = r.nextInt(n);
          lines.set(at, lines.get(other));
          lines.set(other, line);
        }
        case 6 -> lines.set(at, r.nextBoolean() ? " " + line : line.replaceFirst("^ {1,2}", ""));
        case 7 -> {
          lines = new ArrayList<>(lines.subList(0, at + 1));
          lines.set(at, line.substring(0, r.nextInt(line.length() + 1)));
        }
        default -> flipByte = true;
      }
      if (lines.isEmpty()) {
        lines.add("");
      }
    }
    byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    if (flipByte && bytes.length > 0) {
      bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
    }
    return bytes;
  }

  private static String insertAt(String line, String token, Random r) {
    int i = r.nextInt(line.length() + 1);
    return line.substring(0, i) + token + line.substring(i);
  }

  private static String describe(long caseSeed, List<String> args, byte[] input, Result res) {
    String text = new String(input, StandardCharsets.UTF_8);
    return String.format(
        "case seed %d, testrig %s -> exit %d, stderr [%s], input:%n%s",
        caseSeed,
        String.join(" ", args),
        res.code,
        res.err,
        text.length() > 4000 ? text.substring(0, 4000) + "..." : text);
  }

  /** Every path below {@code root} with its size and modification time. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (p.equals(root)) {
          continue;
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        m.put(
            root.relativize(p).toString(),
            a.isDirectory() ? "dir" : a.size() + "@" + a.lastModifiedTime().toMillis());
      }
    }
    return m;
  }

  private static Path copyTree(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
