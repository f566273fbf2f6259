package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.core.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container half of a suite (wait, kill on timeout, final state, log, reports) on the fake. */
class ContainerRunTest {
  @TempDir Path dir;
  private final FakeBackend fake = new FakeBackend();

  @AfterEach
  void close() {
    fake.close();
  }

  private ContainerRun.Outcome run(FakeBackend.Service script, Duration timeout) {
    FakeBackend.Container c = fake.addContainer("suite", Map.of(), script);
    fake.startContainer(c.id());
    return new ContainerRun(fake, new Redactor())
        .finish(c.id(), "/reports", timeout, System.nanoTime(), dir);
  }

  @Test
  void anExitCodeAndMissingReportsComeBackAsTheyAre() throws Exception {
    ContainerRun.Outcome o =
        run(
            FakeBackend.script("s").exitsAfter(Duration.ofMillis(50), 3).log("1 failed"),
            Duration.ofSeconds(5));
    assertEquals(3, o.exitCode());
    assertFalse(o.timedOut());
    assertFalse(o.oomKilled());
    assertTrue(o.reportsMissing());
    assertEquals(List.of(), o.junitFiles());
    assertTrue(
        Files.readString(o.logFile()).endsWith(" 1 failed\n"), Files.readString(o.logFile()));
  }

  @Test
  void aSuitePastItsTimeoutIsKilled() {
    ContainerRun.Outcome o = run(FakeBackend.script("s").reports(), Duration.ofMillis(200));
    assertTrue(o.timedOut());
    assertEquals(137, o.exitCode());
    assertFalse(o.reportsMissing());
    assertTrue(o.duration().compareTo(Duration.ofMillis(200)) >= 0, o.duration().toString());
  }

  @Test
  void theOomKillerIsNamed() {
    ContainerRun.Outcome o =
        run(
            FakeBackend.script("s").exitsAfter(Duration.ofMillis(50), 137).oomKilled(),
            Duration.ofSeconds(5));
    assertTrue(o.oomKilled());
    assertFalse(o.timedOut());
  }
}
