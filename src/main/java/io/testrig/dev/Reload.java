package io.testrig.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.compose.ProjectCompose;
import io.testrig.core.Exec;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.pki.IssuedContext;
import io.testrig.rig.ConfigShape;
import io.testrig.rig.Rig;
import io.testrig.rig.StackSpec;
import io.testrig.secrets.SecretStore;
import io.testrig.template.TemplateRenderer;
import io.testrig.template.Values;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code testrig reload}: re-renders a running stack's templates into its run directory with the
 * same secrets and the certificates already issued, then, for each service that bind-mounts a file
 * that changed, does what {@code stack.services.<name>.reload} says: send a signal ({@code docker
 * compose kill -s SIGHUP}) or {@code restart}. Prints the changed paths, never a value (issue 12,
 * item 6; the seeds' hot-fix path: re-render, SIGHUP, no rebuild).
 */
public final class Reload {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private Reload() {}

  /** What changed and what was done; exit code 0 unless a signal or restart failed. */
  public record Result(List<String> changed, Map<String, String> actions) {}

  public static Result run(
      StackTarget t,
      SecretStore store,
      ProjectCompose compose,
      Map<String, String> set,
      Map<String, String> env,
      PrintWriter out) {
    Rig rig = t.rig();
    Path dir = t.dir().path();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw TestrigException.badInput(dir + ": no run directory: is the stack up?");
    }
    Map<String, String> before = hashes(dir);
    Map<String, Object> extra =
        rig.certs().isEmpty()
            ? Map.of()
            : IssuedContext.read(rig.certs(), t.dir().certsDir(), store::secret);
    Map<String, Object> values = Values.resolve(rig, store, Map.of(), set, env);
    // Compose interpolates the rig's values as up set them (TESTRIG_VALUE_<PATH>).
    Map<String, String> composeEnv = ConfigShape.of(rig, dir, values).composeEnv();
    TemplateRenderer.render(rig, t.dir(), store, values, extra);
    store.save();
    Map<String, String> after = hashes(dir);
    List<String> changed = new ArrayList<>();
    new TreeSet<>(union(before.keySet(), after.keySet()))
        .forEach(
            p -> {
              if (!String.valueOf(before.get(p)).equals(String.valueOf(after.get(p)))) {
                changed.add(p);
              }
            });
    changed.forEach(p -> out.println("changed " + p));
    if (changed.isEmpty()) {
      out.println("no rendered file changed");
      return new Result(changed, Map.of());
    }
    Map<String, List<String>> byService =
        mounts(compose.withEnv(composeEnv).withFiles(files(rig), envFiles(rig), dir), dir, changed);
    Map<String, String> actions = act(rig.stack(), compose, byService, out);
    return new Result(changed, actions);
  }

  /** Signals or restarts each affected service as the rig says; what it did, by service. */
  private static Map<String, String> act(
      StackSpec spec,
      ProjectCompose compose,
      Map<String, List<String>> byService,
      PrintWriter out) {
    Map<String, String> actions = new LinkedHashMap<>();
    List<String> failed = new ArrayList<>();
    byService.forEach(
        (svc, files) -> {
          StackSpec.ServiceSpec ss = spec.services().get(svc);
          String how = ss == null ? null : ss.reload();
          if (how == null) {
            out.println(
                svc
                    + ": uses "
                    + String.join(", ", files)
                    + "; no stack.services."
                    + svc
                    + ".reload in the rig, so nothing was sent");
            actions.put(svc, "none");
            return;
          }
          List<String> args =
              how.equals("restart") ? List.of("restart", svc) : List.of("kill", "-s", how, svc);
          Exec exec = compose.exec();
          Exec.Result r = exec.run(compose.command(args), TIMEOUT);
          if (!r.ok()) {
            failed.add(svc + ": " + exec.failureMessage(r));
            return;
          }
          out.println(svc + ": " + (how.equals("restart") ? "restarted" : "sent " + how));
          actions.put(svc, how);
        });
    if (!failed.isEmpty()) {
      throw new TestrigException(ExitCode.STACK_FAILED, String.join("; ", failed));
    }
    return actions;
  }

  /**
   * Which services bind-mount which changed files (a mount of the file itself or of a directory
   * above it), from {@code docker compose config --format json}.
   */
  static Map<String, List<String>> mounts(ProjectCompose compose, Path dir, List<String> changed) {
    Exec exec = compose.exec();
    Exec.Result r =
        exec.run(compose.command(List.of("--profile", "*", "config", "--format", "json")), TIMEOUT);
    if (!r.ok()) {
      throw TestrigException.badInput("invalid compose file: " + exec.failureMessage(r));
    }
    JsonNode services;
    try {
      services = JSON.readTree(r.stdout()).path("services");
    } catch (IOException e) {
      throw new TestrigException(ExitCode.INTERNAL, "unexpected compose config output", e);
    }
    return mounts(services, dir, changed);
  }

  static Map<String, List<String>> mounts(JsonNode services, Path dir, List<String> changed) {
    Map<String, List<String>> out = new TreeMap<>();
    services
        .fields()
        .forEachRemaining(
            e -> {
              for (JsonNode v : e.getValue().path("volumes")) {
                if (!"bind".equals(v.path("type").asText())) {
                  continue;
                }
                Path source = Path.of(v.path("source").asText()).normalize();
                for (String c : changed) {
                  if (dir.resolve(c).normalize().startsWith(source)) {
                    List<String> l = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                    if (!l.contains(c)) {
                      l.add(c);
                    }
                  }
                }
              }
            });
    return out;
  }

  private static List<Path> files(Rig rig) {
    return rig.stack().files().stream().map(rig::resolve).toList();
  }

  private static List<Path> envFiles(Rig rig) {
    return rig.stack().envFiles().stream().map(rig::resolve).toList();
  }

  /**
   * SHA-256 of every rendered file, by path relative to the run directory: everything but the
   * certificates (not re-issued), config.json and testrig's own dot files.
   */
  static Map<String, String> hashes(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(x -> Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)).toList()) {
        String rel = dir.relativize(p).toString();
        if (rel.startsWith(".") || rel.startsWith("certs/") || rel.equals("config.json")) {
          continue;
        }
        out.put(rel, sha256(p));
      }
    } catch (IOException e) {
      throw TestrigException.io(dir + ": cannot read the rendered files: " + e.getMessage(), e);
    }
    return out;
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
