package io.testrig.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.testrig.core.CallCount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command run inside a container through the engine API (docker exec), with a bounded wait. */
final class DockerExec {
  private static final int MAX_OUTPUT = 2_000;

  private DockerExec() {}

  /** Exit code (-1 when it did not finish in time) and the head of its output. */
  record Outcome(long exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static Outcome run(DockerClient client, String containerId, List<String> cmd, Duration timeout)
      throws InterruptedException {
    CallCount.exec();
    String execId =
        client
            .execCreateCmd(containerId)
            .withCmd(cmd.toArray(new String[0]))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    StringBuilder out = new StringBuilder();
    boolean finished;
    try (ResultCallback.Adapter<Frame> cb =
        client
            .execStartCmd(execId)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame f) {
                    synchronized (out) {
                      if (out.length() < MAX_OUTPUT) {
                        out.append(new String(f.getPayload(), StandardCharsets.UTF_8));
                      }
                    }
                  }
                })) {
      finished = cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      finished = false;
    }
    if (!finished) {
      return new Outcome(-1, "timed out after " + timeout.toMillis() + " ms");
    }
    Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
    synchronized (out) {
      return new Outcome(code == null ? -1 : code, out.toString().strip());
    }
  }
}
