package io.testrig.compose;

import io.testrig.backend.ComposeProject;
import io.testrig.core.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The accepted {@code docker compose config --format json} outputs of this process, so one command
 * asks compose once per project: {@code testrig up} validates the rig (issue 9, item 5) with the
 * project name and environment its bring-up then uses, and the bring-up's preflight takes the model
 * from here instead of starting a second compose process (issue 11: no redundant compose
 * invocations; one compose process costs about 0.1 s).
 *
 * <p>An entry matches only the same project name, compose files and env files (each with the same
 * size and modification time as when it was read) and the same variables testrig adds to the
 * inherited environment. The engine's connection variables ({@code DOCKER_HOST}, {@code
 * DOCKER_API_VERSION}, TLS) are not part of it: {@code config} never talks to the engine, and the
 * validation pass runs before the engine is connected.
 */
final class ConfigMemo {
  /** A few projects per process at most (a matrix run); the oldest entries go first. */
  static final int MAX = 16;

  /**
   * equals and hashCode are written out: a record's generated ones bootstrap through method handles
   * on first use (ObjectMethods), about 20 classes spun at run time in every {@code validate} and
   * {@code up} (issue 11).
   */
  private record Key(
      String project,
      List<Path> files,
      List<Path> envFiles,
      Map<String, String> env,
      List<String> stamps) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && project.equals(k.project)
          && files.equals(k.files)
          && envFiles.equals(k.envFiles)
          && env.equals(k.env)
          && stamps.equals(k.stamps);
    }

    @Override
    public int hashCode() {
      return Objects.hash(project, files, envFiles, env, stamps);
    }
  }

  private static final Map<Key, Exec.Result> ENTRIES =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Exec.Result> eldest) {
          return size() > MAX;
        }
      };

  private ConfigMemo() {}

  /** Remembers an accepted config of {@code project} (its env: what testrig adds, no engine). */
  static void remember(ComposeProject project, Exec.Result config) {
    Key k = key(project);
    if (k != null && config.ok()) {
      synchronized (ENTRIES) {
        ENTRIES.put(k, config);
      }
    }
  }

  /** The remembered config of {@code project}, or null: then compose must be asked. */
  static Exec.Result recall(ComposeProject project) {
    Key k = key(project);
    if (k == null) {
      return null;
    }
    synchronized (ENTRIES) {
      return ENTRIES.get(k);
    }
  }

  /** Forgets everything (tests). */
  static void clear() {
    synchronized (ENTRIES) {
      ENTRIES.clear();
    }
  }

  /** The key, or null when a file cannot be read (compose then reports it). */
  private static Key key(ComposeProject p) {
    List<String> stamps = new ArrayList<>();
    List<Path> all = new ArrayList<>(p.files());
    all.addAll(p.envFiles());
    for (Path f : all) {
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        // Nanoseconds, not FileTime's text: that formats a date through java.time.
        long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        stamps.add(a.size() + "@" + mtime + "#" + a.fileKey());
      } catch (IOException e) {
        return null;
      }
    }
    return new Key(p.name(), p.files(), p.envFiles(), new TreeMap<>(p.env()), stamps);
  }
}
