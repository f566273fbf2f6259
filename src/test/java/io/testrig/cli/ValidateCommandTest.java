package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path dir;
  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void validRigSaysOk() throws Exception {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "certs:\n  issue:\n    db: {}\n");
    assertEquals(0, run("validate", "-f", rig.toString()));
    assertTrue(cli.out().contains(": ok (0 template sets, 1 certs"), cli.out());
    assertEquals("", cli.err());
  }

  @Test
  void badRigIsExit2WithOneLine() throws Exception {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "stack:\n  filez: []\n");
    assertEquals(2, run("validate", "-f", rig.toString()));
    assertEquals(
        "testrig: "
            + rig
            + ":2: stack.filez: unknown key (known: build, env_files, files,"
            + " graceful_stop, profiles, profiles_if, project, services, timeout)\n",
        cli.err());
  }

  @Test
  void unknownOptionIsUsageError() {
    assertEquals(2, run("validate", "--nope"));
    assertTrue(cli.err().startsWith("testrig: Unknown option: '--nope'"), cli.err());
  }

  @Test
  void stacktraceOnlyWhenAsked() throws Exception {
    Path rig = dir.resolve("missing.yml");
    assertEquals(2, run("validate", "-f", rig.toString()));
    assertEquals(1, cli.err().lines().count());
    cli.clear();
    assertEquals(2, run("--stacktrace", "validate", "-f", rig.toString()));
    assertTrue(cli.err().contains("at io.testrig.rig.RigLoader.read"), cli.err());
  }
}
