package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.run.RunService.KeepPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeepPolicyTest {
  @Test
  void parsesTheThreeSpellingsAndRefusesOthers() {
    assertEquals(KeepPolicy.ON_FAILURE, KeepPolicy.parse("on-failure"));
    assertEquals(KeepPolicy.ALWAYS, KeepPolicy.parse("always"));
    assertEquals(KeepPolicy.NEVER, KeepPolicy.parse("never"));
    TestrigException e = assertThrows(TestrigException.class, () -> KeepPolicy.parse("onfailure"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith("--keep: expected on-failure, always or never"));
  }

  @Test
  void runOptionsDefaultToTearingDown() {
    RunService.Options o =
        new RunService.Options(Path.of("a"), null, null, 1, null, null, null, null);
    assertEquals(KeepPolicy.NEVER, o.keep());
    assertEquals(Duration.ofHours(4), o.keepTtl());
    assertEquals(0, o.suites().size());
    assertEquals(null, o.attached());
  }
}
