package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.support.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `testrig generate-completion` prints a bash/zsh script that bash loads and that completes. */
class CompletionTest {
  @TempDir Path dir;

  @Test
  void bashLoadsTheScriptWithoutErrorAndCompletesCommandsAndOptions() throws Exception {
    Cli.Result r = Cli.exec("generate-completion");
    assertEquals(0, r.code(), r::toString);
    assertEquals("", r.err());
    Path script = Files.writeString(dir.resolve("testrig.bash"), r.out());

    // What bash does on <TAB>: set COMP_* and call the function `complete -p` names.
    String probe =
        "set -e; source \"$1\"; complete -p testrig\n"
            + "ask() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\";"
            + " COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _complete_testrig 2>/dev/null || true;"
            + " echo \"${COMPREPLY[*]}\"; }\n"
            + "ask testrig ru\nask testrig run --on\n";
    Process p =
        new ProcessBuilder("bash", "-c", probe, "probe", script.toString())
            .redirectErrorStream(false)
            .start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stderr);
    assertEquals("", stderr);
    String[] lines = stdout.split("\n");
    assertTrue(lines[0].matches("complete .*-F _complete_testrig .*testrig.*"), stdout);
    assertEquals("run", lines[1]);
    assertEquals("--only", lines[2]);
  }
}
