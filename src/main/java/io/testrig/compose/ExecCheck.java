package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.ExecResult;
import java.time.Duration;
import java.util.List;

/** A command run in the container (the healthcheck's test, or a command probe); exit 0 is ready. */
final class ExecCheck implements Check {
  private final Backend backend;
  private final String kind;
  private final List<String> cmd;
  private final Duration timeout;

  ExecCheck(Backend backend, String kind, List<String> cmd, Duration timeout) {
    this.backend = backend;
    this.kind = kind;
    this.cmd = List.copyOf(cmd);
    this.timeout = timeout;
  }

  @Override
  public String describe() {
    return kind;
  }

  @Override
  public String test(ContainerInfo c) throws InterruptedException {
    ExecResult o = backend.exec(c.id(), cmd, timeout);
    if (o.ok()) {
      return null;
    }
    String out = o.output().replace('\n', ' ');
    if (out.length() > 200) {
      out = out.substring(0, 200) + "...";
    }
    return kind
        + " "
        + cmd
        + " failing (exit "
        + o.exitCode()
        + (out.isEmpty() ? "" : ": " + out)
        + ")";
  }
}
