package io.testrig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup scripts take their Debian mirror from the host's apt sources (a proxy or local mirror
 * must keep working), with TESTRIG_DEBIAN_MIRROR as the override (issue 7, point 17).
 */
class SetupScriptsTest {
  @TempDir Path tmp;

  @Test
  void mirrorComesFromTheHostsAptSourcesNotFromTheSecurityOrUpdatesEntries() throws IOException {
    Path apt =
        aptConfig(
            """
        deb http://mirror.testrig.invalid/debian-security bookworm-security main
        deb http://mirror.testrig.invalid/debian/ bookworm-updates main
        deb http://mirror.testrig.invalid/debian/ bookworm main
        """);
    Exec.Result r = mirror(Map.of("APT_CONFIG", apt.toString()));
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("http://mirror.testrig.invalid/debian\n", r.stdout());
  }

  @Test
  void theOverrideWins() throws IOException {
    Path apt = aptConfig("deb http://mirror.testrig.invalid/debian bookworm main\n");
    Exec.Result r =
        mirror(
            Map.of(
                "APT_CONFIG",
                apt.toString(),
                "TESTRIG_DEBIAN_MIRROR",
                "http://proxy.testrig.invalid:3142/debian/"));
    assertEquals("http://proxy.testrig.invalid:3142/debian\n", r.stdout());
  }

  @Test
  void noDebianSourceIsAOneLineErrorNamingTheOverride() throws IOException {
    Exec.Result r = mirror(Map.of("APT_CONFIG", aptConfig("").toString()));
    assertEquals(2, r.exitCode());
    assertEquals(
        "debian-mirror: no Debian archive in this host's apt sources; set TESTRIG_DEBIAN_MIRROR\n",
        r.stderr());
  }

  @Test
  void noScriptOrImageRecipeNamesAMirrorHost() throws IOException {
    try (Stream<Path> files =
        Stream.of("scripts", "docker", "examples", "bench", "Dockerfile", "entrypoint")
            .map(Path::of)
            .flatMap(SetupScriptsTest::walk)) {
      List<Path> naming =
          files
              .filter(Files::isRegularFile)
              .filter(p -> text(p).contains("deb.debian.org"))
              .toList();
      assertTrue(naming.isEmpty(), naming.toString());
    }
  }

  /** An apt configuration whose only sources are {@code sources}; nothing is downloaded. */
  Path aptConfig(String sources) throws IOException {
    Path list = Files.writeString(tmp.resolve("sources.list"), sources);
    Path parts = Files.createDirectories(tmp.resolve("sources.list.d"));
    return Files.writeString(
        tmp.resolve("apt.conf"),
        "Dir::Etc::sourcelist \"" + list + "\";\nDir::Etc::sourceparts \"" + parts + "\";\n");
  }

  static Exec.Result mirror(Map<String, String> env) {
    var pb = new ProcessBuilder("scripts/debian-mirror.sh");
    pb.environment().remove("TESTRIG_DEBIAN_MIRROR");
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes());
      String err = new String(p.getErrorStream().readAllBytes());
      return new Exec.Result(pb.command(), p.waitFor(), out, err);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<Path> walk(Path p) {
    try {
      return Files.isDirectory(p) ? Files.walk(p).toList().stream() : Stream.of(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static String text(Path p) {
    try {
      return new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
