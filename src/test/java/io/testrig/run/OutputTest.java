package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.testrig.compose.ProgressListener;
import io.testrig.compose.ServiceStatus.State;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {
  private final StringWriter sink = new StringWriter();
  private final PrintWriter out = new PrintWriter(sink, true);
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  @Test
  void choosesGitLabInCiThenTtyThenPlain() {
    assertInstanceOf(
        Output.GitLab.class,
        Output.forEnvironment(out, out, Map.of("GITLAB_CI", "true")::get, true));
    assertInstanceOf(
        Output.GitLab.class, Output.forEnvironment(out, out, Map.of("CI", "true")::get, false));
    assertInstanceOf(
        Output.Live.class, Output.forEnvironment(out, out, Map.<String, String>of()::get, true));
    assertInstanceOf(
        Output.Plain.class, Output.forEnvironment(out, out, Map.<String, String>of()::get, false));
  }

  @Test
  void gitLabSectionsFollowTheDocumentedFormat() {
    Output o = new Output.GitLab(out, out, clock);
    o.phaseStart("stack up/pg=16", "Bringing the stack up");
    o.service("pg=16", "postgres", "healthy", Duration.ofMillis(850));
    o.phaseEnd("stack up/pg=16", true, Duration.ofSeconds(3));
    assertEquals(
        "\u001b[0Ksection_start:1700000000:testrig_stack_up_pg_16[collapsed=false]\r\u001b[0KBringing the stack up\n"
            + "    [pg=16] postgres: healthy (850 ms)\n"
            + "<== stack up/pg=16 ok (3 s)\n"
            + "\u001b[0Ksection_end:1700000000:testrig_stack_up_pg_16\r\u001b[0K\n",
        sink.toString());
  }

  @Test
  void liveBlockRedrawsServiceLinesInPlace() {
    Output o = new Output.Live(out, out, clock);
    o.service("", "db", "starting", Duration.ZERO);
    o.service("", "api", "starting", Duration.ZERO);
    o.service("", "db", "healthy", Duration.ofMillis(400));
    String s = sink.toString();
    // The third update moves up over the two drawn lines and rewrites both.
    assertEquals(
        "\u001b[2K    db: starting (0 ms)\n"
            + "\u001b[1F\u001b[2K    db: starting (0 ms)\n\u001b[2K    api: starting (0 ms)\n"
            + "\u001b[2F\u001b[2K    db: healthy (400 ms)\n\u001b[2K    api: starting (0 ms)\n",
        s);
  }

  /** A clock the test moves by hand. */
  private static final class StepClock extends Clock {
    Instant now = Instant.ofEpochSecond(1_700_000_000);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void stackEventsBecomeServiceLinesTimedFromEachServicesFirstEvent() {
    StepClock steps = new StepClock();
    ProgressListener l = new Output.Plain(out, out, steps).services("pg=16");
    l.onService("db", State.STARTING, "");
    steps.now = steps.now.plusMillis(1500);
    l.onService("api", State.STARTING, null);
    l.onService("db", State.READY, "ready after 1500 ms (healthcheck)");
    steps.now = steps.now.plusMillis(250);
    l.onService("api", State.FAILED, "exited with 1");
    assertEquals(
        "    [pg=16] db: starting (0 ms)\n"
            + "    [pg=16] api: starting (0 ms)\n"
            + "    [pg=16] db: ready after 1500 ms (healthcheck) (1 s)\n"
            + "    [pg=16] api: failed: exited with 1 (250 ms)\n",
        sink.toString());
  }

  @Test
  void upPrintsServicesWithoutAScope() {
    new Output.Plain(out, out, clock).services("").onService("db", State.SKIPPED, "");
    assertEquals("    db: skipped (0 ms)\n", sink.toString());
  }
}
