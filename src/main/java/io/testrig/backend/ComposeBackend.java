package io.testrig.backend;

import io.testrig.core.Exec;
import java.time.Duration;
import java.util.List;

/**
 * The compose steps of one project that orchestration uses: the resolved model, build, create
 * (everything created, nothing started) and the command prefix a suite's {@code run} starts from.
 * The Docker implementation drives the {@code docker compose} v2 CLI; a fake answers from a script.
 */
public interface ComposeBackend {
  /** {@code config --format json} with every profile: validation and model in one step. */
  Exec.Result config(Duration timeout);

  /** Builds the named services with the given profiles enabled. */
  Exec.Result build(List<String> profiles, List<String> services, Duration timeout);

  /**
   * Creates every container, network and volume of the enabled profiles, starting nothing; with
   * {@code only} non-empty, exactly those services (no dependencies): what a flag switched off is
   * never created (issue 9, item 2).
   */
  Exec.Result create(List<String> profiles, List<String> only, Duration timeout);

  /** The command prefix (binary, project name, files, env files) for verbs run outside. */
  List<String> command();
}
