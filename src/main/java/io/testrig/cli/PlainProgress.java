package io.testrig.cli;

import io.testrig.compose.ProgressListener;
import io.testrig.compose.ServiceStatus.State;
import java.io.PrintWriter;

/** One plain line per service state change that matters: start and final state. */
final class PlainProgress implements ProgressListener {
  private final PrintWriter out;

  PlainProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onService(String service, State state, String detail) {
    switch (state) {
      case STARTING -> line(service + ": starting");
      case READY, DONE, FAILED, SKIPPED ->
          line(
              service
                  + ": "
                  + state.name().toLowerCase()
                  + (detail.isEmpty() ? "" : " - " + detail));
      default -> {}
    }
  }

  private void line(String s) {
    synchronized (out) {
      out.println(s);
      out.flush();
    }
  }
}
