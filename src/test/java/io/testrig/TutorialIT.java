package io.testrig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs README's five-minute tutorial as written: every command in its numbered steps, in order,
 * with `testrig` on PATH the way README's Install section puts it there (a link to bin/testrig). A
 * step whose command changes or stops working fails here, so the tutorial cannot drift.
 */
class TutorialIT {
  static final Pattern COMMAND =
      Pattern.compile("`((?:testrig|examples/build-images\\.sh)(?: [^`]*)?)`");

  @TempDir Path work;

  @Test
  void everyTutorialCommandRunsAsWritten() throws Exception {
    List<String> commands = tutorialCommands(Files.readString(Path.of("README.md")));
    assertEquals(10, commands.size(), "commands in the tutorial: " + commands);
    Path bin = Files.createDirectories(work.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("testrig"), Path.of("bin/testrig").toAbsolutePath());
    // The commands name examples/... from the checkout's root; artifacts land in the work dir.
    Files.createSymbolicLink(work.resolve("examples"), Path.of("examples").toAbsolutePath());
    Path runDir = work.resolve("pg");
    for (String command : commands) {
      String line = command.replace("/tmp/pg", runDir.toString());
      String out = run(bin, line);
      if (line.contains(" run ")) {
        assertTrue(out.contains("JUnit XML: testrig-artifacts/junit.xml"), line + "\n" + out);
        assertTrue(Files.isRegularFile(work.resolve("testrig-artifacts/junit.xml")));
      }
    }
    assertTrue(!Files.exists(runDir), "secrets wipe removed the rendered run directory");
    assertEquals(
        "", run(bin, "docker ps -aq --filter label=io.testrig.run-id"), "down removed all");
  }

  /** The inline commands of the numbered steps, line breaks inside a code span folded. */
  static List<String> tutorialCommands(String readme) {
    int from = readme.indexOf("## Five-minute tutorial");
    int to = readme.indexOf("\n## ", from + 1);
    String steps =
        readme.substring(readme.indexOf("\n1. ", from), to).replaceAll("\\s*\n\\s*", " ");
    List<String> commands = new ArrayList<>();
    Matcher m = COMMAND.matcher(steps);
    while (m.find()) {
      commands.add(m.group(1));
    }
    return commands;
  }

  String run(Path bin, String line) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", line).directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().remove("CI");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), line);
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), line + "\n" + text);
    return text;
  }
}
