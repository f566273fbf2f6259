package io.testrig.suite;

import io.testrig.core.FileTrees;
import io.testrig.core.TestrigException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What suites see of the run (issue 9, item 4): a filtered copy of the run directory, {@code <run
 * dir>/.testrig-suite-view}, mounted read-only at {@link #CONTAINER_PATH} in every suite container
 * and named by {@code TESTRIG_RUN_DIR} there. It holds every rendered file, {@code config.json} and
 * {@code certs/} except the CA's private key ({@code certs/ca.key}), which never enters a suite
 * container; testrig's own dot files at the top (marker, labels override, render temp) stay out
 * too. Files are hard links (a copy where linking fails), so they keep their modes and cost no
 * space; the view lives inside the run directory and is wiped with it.
 */
public final class RunView {
  /** Where suite containers see the view. */
  public static final String CONTAINER_PATH = "/run/testrig";

  /** The view's name inside the run directory. */
  public static final String NAME = ".testrig-suite-view";

  /** The file that never enters the view. */
  static final Path CA_KEY = Path.of("certs", "ca.key");

  private RunView() {}

  /** (Re)builds the view of {@code runDir} and returns its path. */
  public static Path create(Path runDir) {
    Path view = runDir.resolve(NAME);
    try {
      if (Files.exists(view, LinkOption.NOFOLLOW_LINKS)) {
        FileTrees.deleteTree(view);
      }
      Files.createDirectory(view);
      Files.setPosixFilePermissions(view, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.walkFileTree(runDir, new Linker(runDir, view));
      return view;
    } catch (IOException e) {
      throw TestrigException.io(
          "cannot make the suites' view of the run directory " + view + ": " + e.getMessage(), e);
    }
  }

  /** Whether a run-directory path (relative) stays out of the view. */
  static boolean excluded(Path rel) {
    return rel.equals(CA_KEY)
        || (rel.getNameCount() >= 1 && rel.getName(0).toString().startsWith("."));
  }

  private static final class Linker extends SimpleFileVisitor<Path> {
    private final Path root;
    private final Path view;

    Linker(Path root, Path view) {
      this.root = root;
      this.view = view;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
        throws IOException {
      Path rel = root.relativize(dir);
      if (rel.toString().isEmpty()) {
        return FileVisitResult.CONTINUE;
      }
      if (excluded(rel)) {
        return FileVisitResult.SKIP_SUBTREE;
      }
      Path target = view.resolve(rel);
      Files.createDirectories(target);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      Path rel = root.relativize(file);
      // Links are never followed (the walk does not follow them) nor carried over.
      if (!attrs.isRegularFile() || excluded(rel)) {
        return FileVisitResult.CONTINUE;
      }
      Path target = view.resolve(rel);
      try {
        Files.createLink(target, file);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
      return FileVisitResult.CONTINUE;
    }
  }

  /** The variable naming the run directory (as compose files use it, and suites). */
  static final String RUN_DIR = "TESTRIG_RUN_DIR";

  /** A suite container's environment: the target's, with TESTRIG_RUN_DIR at the mount point. */
  static Map<String, String> containerEnv(SuiteTarget t) {
    Map<String, String> env = new LinkedHashMap<>(t.env());
    if (t.runView() != null) {
      env.put(RUN_DIR, CONTAINER_PATH);
    }
    return env;
  }

  /** A local JVM suite's environment: TESTRIG_RUN_DIR names the view on the host. */
  static Map<String, String> localEnv(SuiteTarget t) {
    Map<String, String> env = new LinkedHashMap<>(t.env());
    if (t.runView() != null) {
      env.put(RUN_DIR, t.runView().toString());
    }
    return env;
  }

  /** The view as a read-only mount of a container created through the engine API. */
  static Map<String, String> mounts(SuiteTarget t) {
    return t.runView() == null ? Map.of() : Map.of(t.runView().toString(), CONTAINER_PATH);
  }

  /**
   * {@code docker compose run} options that mount the view and point TESTRIG_RUN_DIR at it; the
   * compose process itself keeps the host path for interpolation. Neither is a secret, so both may
   * stand on the command line.
   */
  static List<String> composeRunArgs(SuiteTarget t) {
    List<String> args = new ArrayList<>();
    if (t.runView() != null) {
      args.addAll(List.of("--volume", t.runView() + ":" + CONTAINER_PATH + ":ro"));
      args.addAll(List.of("--env", RUN_DIR + "=" + CONTAINER_PATH));
    }
    return args;
  }
}
