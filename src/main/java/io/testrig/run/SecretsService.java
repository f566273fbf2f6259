package io.testrig.run;

import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code testrig secrets show|rotate|wipe}: the rig's config.json, in its run directory or a
 * persistent one ({@code --config}, {@code secrets.config}).
 */
public final class SecretsService {
  private final Rig rig;
  private final Path runDir;
  private final Path config;
  private final Redactor redactor;

  /**
   * @param runDir {@code --run-dir}, or null for the rig's ephemeral one
   * @param config {@code --config}, or null
   */
  public SecretsService(Rig rig, Path runDir, Path config, Redactor redactor) {
    this.rig = rig;
    this.runDir = runDir;
    this.config = config;
    this.redactor = redactor;
  }

  /** config.json's keys with only their values' lengths: even a prefix would give away entropy. */
  public record Shown(Path file, boolean persistent, Map<String, Integer> lengths) {}

  public Shown show() {
    SecretStore store = SecretStore.open(rig, RunDir.locate(rig, runDir, null), config, redactor);
    Map<String, Integer> lengths = new LinkedHashMap<>();
    store.entries().forEach((k, v) -> lengths.put(k, String.valueOf(v).length()));
    return new Shown(store.file(), store.persistent(), lengths);
  }

  /** Replaces one secret with a fresh value; returns the config.json it is in. */
  public Path rotate(String path) {
    RunDir dir =
        config != null || rig.secrets().config() != null
            ? RunDir.locate(rig, runDir, null)
            : RunDir.resolve(rig, runDir);
    SecretStore store = SecretStore.open(rig, dir, config, redactor);
    store.rotate(path);
    store.save();
    return store.file();
  }

  /** What a wipe did: the run directory, and whether it was there. */
  public record Wiped(Path dir, boolean existed) {}

  /** Removes the run directory (config.json, keys, rendered files); safe to repeat. */
  public Wiped wipe() {
    RunDir dir = RunDir.locate(rig, runDir, null);
    boolean existed = dir.exists();
    dir.wipe();
    return new Wiped(dir.path(), existed);
  }

  /** The persistent config.json ({@code --config}, else {@code secrets.config}), or null. */
  public Path persistentConfig() {
    return config != null
        ? config
        : rig.secrets().config() != null ? rig.resolve(rig.secrets().config()) : null;
  }

  /** Deletes the persistent config.json; false when there was none to delete. */
  public boolean deletePersistentConfig() {
    Path persistent = persistentConfig();
    try {
      return persistent != null && Files.deleteIfExists(persistent);
    } catch (IOException e) {
      throw TestrigException.io(persistent + ": cannot delete: " + e.getMessage(), e);
    }
  }
}
