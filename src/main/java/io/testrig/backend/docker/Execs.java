package io.testrig.backend.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.testrig.backend.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command run in a container through the engine's exec API: create, start (its response is the
 * output, read to the end), inspect for the exit code
 * (https://docs.docker.com/reference/api/engine/version/v1.41/#tag/Exec).
 */
final class Execs {
  /** How long the exit code may lag behind the end of the output (see {@link #exitCode}). */
  private static final long EXIT_CODE_WAIT_MS = 1_000;

  private final EngineHttp http;

  Execs(EngineHttp http) {
    this.http = http;
  }

  /** The exit code and the head of the output; exit -1 when it did not end within the timeout. */
  ExecResult run(String container, List<String> cmd, Duration timeout, int maxOutput)
      throws InterruptedException {
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("AttachStdout", true);
    create.put("AttachStderr", true);
    create.put("Cmd", cmd);
    String createPath = "/containers/" + DockerBackend.seg(container) + "/exec";
    String execId = EngineJson.text(post(createPath, create), "Id");
    StringBuilder out = new StringBuilder();
    // Without Detach the engine streams the output on the start request's connection until the
    // process ends; without Tty it is multiplexed (stdout and stderr frames).
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("Detach", false);
    start.put("Tty", false);
    boolean finished;
    try (EngineStream s =
        EngineStream.start(
            http,
            "POST",
            "/exec/" + DockerBackend.seg(execId) + "/start",
            EngineHttp.Body.json(EngineJson.write(start)),
            r ->
                Frames.demux(
                    r.body,
                    f -> {
                      synchronized (out) {
                        if (out.length() < maxOutput) {
                          out.append(new String(f.bytes(), StandardCharsets.UTF_8));
                        }
                      }
                    }))) {
      finished = s.await(timeout);
    }
    if (!finished) {
      return new ExecResult(-1, "timed out after " + timeout.toMillis() + " ms");
    }
    Long code = exitCode(execId);
    synchronized (out) {
      return new ExecResult(code == null ? -1 : code, out.toString().strip());
    }
  }

  /**
   * {@code GET /exec/{id}/json}'s ExitCode. The output can end a moment before the engine has
   * handled the process's exit (the exec is then still Running with no ExitCode), so that state is
   * asked again for up to {@link #EXIT_CODE_WAIT_MS}.
   */
  private Long exitCode(String execId) throws InterruptedException {
    long deadline = System.nanoTime() + EXIT_CODE_WAIT_MS * 1_000_000L;
    while (true) {
      JsonNode i = get("/exec/" + DockerBackend.seg(execId) + "/json");
      JsonNode code = i.get("ExitCode");
      boolean running = i.path("Running").asBoolean(false);
      if ((code != null && !code.isNull() && !running) || System.nanoTime() > deadline) {
        return code == null || code.isNull() ? null : code.asLong();
      }
      Thread.sleep(10);
    }
  }

  private JsonNode post(String path, Map<String, Object> body) {
    try {
      return http.call("POST", path, EngineHttp.Body.json(EngineJson.write(body))).check().json();
    } catch (IOException e) {
      throw DockerBackend.broken("POST", path, e);
    }
  }

  private JsonNode get(String path) {
    try {
      return http.call("GET", path).check().json();
    } catch (IOException e) {
      throw DockerBackend.broken("GET", path, e);
    }
  }
}
