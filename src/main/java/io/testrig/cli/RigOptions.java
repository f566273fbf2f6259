package io.testrig.cli;

import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import io.testrig.validate.Validation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** Options shared by every command that reads a rig file. */
final class RigOptions {
  @Option(
      names = {"-f", "--file"},
      defaultValue = "testrig.yml",
      paramLabel = "FILE",
      description = "Rig file (default: ${DEFAULT-VALUE}).")
  Path file;

  @Option(
      names = "--run-dir",
      paramLabel = "DIR",
      description =
          "Run directory for config.json, certs and rendered files (default: an ephemeral 0700"
              + " directory under $XDG_RUNTIME_DIR or /dev/shm, the same for this rig file"
              + " across render, up and down; `run` makes a fresh one per run).")
  Path runDir;

  @Option(
      names = "--config",
      paramLabel = "PATH",
      description = "Use a persistent config.json instead of the ephemeral one.")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY.PATH=VALUE",
      description = "Set a value (repeatable); wins over the rig's values and config.json.")
  Map<String, String> set = new LinkedHashMap<>();

  Rig load() {
    return new RigLoader().load(file);
  }

  /**
   * The rig after the whole validation pass ({@link Validation}): what {@code validate}, {@code
   * run} and {@code up} start with, so every problem is found before anything is created.
   */
  Rig loadValidated() {
    return Validation.load(file, runDir, System.getenv());
  }

  /** As {@link #loadValidated()}, asking compose as {@code as} says for the rig. */
  Rig loadValidated(Function<Rig, Validation.ComposeAs> as) {
    return Validation.load(file, runDir, System.getenv(), as);
  }
}
