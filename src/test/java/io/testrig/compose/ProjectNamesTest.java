package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectNamesTest {
  @Test
  void ciJobIdAndMatrixSuffixNameTheRunAndStillDiffer() {
    Map<String, String> env = Map.of("CI_JOB_ID", "4711", "CI_PIPELINE_ID", "99");
    String a = ProjectNames.runId(env, "PG 16/ssl=on");
    String b = ProjectNames.runId(env, "PG 16/ssl=on");
    assertTrue(a.startsWith("j4711-pg-16-ssl-on-"), a);
    assertNotEquals(a, b, "repeated runs in one job must not collide");
    assertTrue(ProjectNames.VALID.matcher(ProjectNames.project(a)).matches());
  }

  @Test
  void runIdOfStripsTheTestrigPrefixOnly() {
    assertEquals("j1-ab12", ProjectNames.runIdOf("testrig-j1-ab12"));
    assertEquals("myproj", ProjectNames.runIdOf("myproj"));
    String r = ProjectNames.runId(Map.of(), null);
    assertEquals(r, ProjectNames.runIdOf(ProjectNames.project(r)));
  }

  @Test
  void pipelineIdWhenNoJobAndRandomOtherwise() {
    assertTrue(ProjectNames.runId(Map.of("CI_PIPELINE_ID", "7"), null).startsWith("p7-"));
    String r = ProjectNames.runId(Map.of(), null);
    assertEquals(8, r.length());
    assertTrue(ProjectNames.project(r).startsWith("testrig-"));
  }

  @Test
  void invalidProjectNameIsBadInputNamingTheKey() {
    TestrigException e =
        assertThrows(TestrigException.class, () -> ProjectNames.validate("My Stack", "--project"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith("--project: project name 'My Stack'"), e.getMessage());
  }
}
