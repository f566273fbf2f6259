package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
}
