package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, item 4: what suites see of the run, and how a host JVM suite finds the stack. */
class RunViewTest {
  @TempDir Path run;

  @Test
  void theViewHoldsEverythingButTheCaKeyAndTestrigsOwnFiles() throws Exception {
    Files.createDirectories(run.resolve("certs"));
    Files.createDirectories(run.resolve("postgres/initdb.d"));
    Files.writeString(run.resolve(".testrig-run"), "");
    Files.writeString(run.resolve(".testrig-x.labels.json"), "{}");
    Files.writeString(run.resolve("config.json"), "{}");
    Files.writeString(run.resolve("certs/ca.key"), "KEY");
    Files.writeString(run.resolve("certs/ca.crt"), "CRT");
    Files.writeString(run.resolve("certs/app.key"), "APPKEY");
    Files.setPosixFilePermissions(
        run.resolve("certs/app.key"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(run.resolve("postgres/initdb.d/01.sql"), "select 1;");
    Files.createSymbolicLink(run.resolve("link"), Path.of("/etc/passwd"));

    Path view = RunView.create(run);
    RunView.create(run); // again: rebuilt, not nested

    assertEquals(run.resolve(".testrig-suite-view"), view);
    List<String> files;
    try (Stream<Path> s = Files.walk(view)) {
      files =
          s.filter(Files::isRegularFile).map(p -> view.relativize(p).toString()).sorted().toList();
    }
    assertEquals(
        List.of("certs/app.key", "certs/ca.crt", "config.json", "postgres/initdb.d/01.sql"), files);
    assertFalse(Files.exists(view.resolve("certs/ca.key")));
    assertFalse(Files.exists(view.resolve("link"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertEquals("rw-------", mode(view.resolve("certs/app.key")), "modes stay");
    assertEquals("rwxr-xr-x", mode(view));
    assertEquals("APPKEY", Files.readString(view.resolve("certs/app.key")));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void containersSeeTheMountPointTheHostJvmTheViewsPath() {
    SuiteTarget t =
        new SuiteTarget(
            "r", null, null, Map.of("TESTRIG_RUN_DIR", "/host/run", "X", "1"), null, null, run);
    assertEquals("/run/testrig", RunView.containerEnv(t).get("TESTRIG_RUN_DIR"));
    assertEquals("1", RunView.containerEnv(t).get("X"));
    assertEquals(run.toString(), RunView.localEnv(t).get("TESTRIG_RUN_DIR"));
    assertEquals(
        List.of("--volume", run + ":/run/testrig:ro", "--env", "TESTRIG_RUN_DIR=/run/testrig"),
        RunView.composeRunArgs(t));
  }

  @Test
  void publishedPortsBecomeVariablesAndProperties() {
    String ps =
        "{\"Service\":\"postgres\",\"Publishers\":[{\"URL\":\"0.0.0.0\",\"TargetPort\":5432,"
            + "\"PublishedPort\":49153,\"Protocol\":\"tcp\"},{\"URL\":\"::\",\"TargetPort\":5432,"
            + "\"PublishedPort\":49153,\"Protocol\":\"tcp\"}]}\n"
            + "{\"Service\":\"api-v2\",\"Publishers\":[{\"URL\":\"127.0.0.1\",\"TargetPort\":8080,"
            + "\"PublishedPort\":8081,\"Protocol\":\"tcp\"},{\"URL\":\"\",\"TargetPort\":9000,"
            + "\"PublishedPort\":0,\"Protocol\":\"tcp\"}]}\n";
    LocalAddresses a = LocalAddresses.parse(ps, "127.0.0.1");
    assertNull(a.problem());
    assertEquals(
        Map.of(
            "TESTRIG_SERVICE_POSTGRES_5432", "127.0.0.1:49153",
            "TESTRIG_SERVICE_POSTGRES_5432_HOST", "127.0.0.1",
            "TESTRIG_SERVICE_POSTGRES_5432_PORT", "49153",
            "TESTRIG_SERVICE_API_V2_8080", "127.0.0.1:8081",
            "TESTRIG_SERVICE_API_V2_8080_HOST", "127.0.0.1",
            "TESTRIG_SERVICE_API_V2_8080_PORT", "8081"),
        a.env());
    assertEquals("49153", a.properties().get("testrig.service.postgres.5432.port"));
    assertEquals("127.0.0.1:8081", a.properties().get("testrig.service.api-v2.8080"));
    assertEquals(6, a.properties().size());
  }

  @Test
  void aStackWithoutPublishedPortsIsAClearProblem() {
    String ps = "[{\"Service\":\"db\",\"Publishers\":[]}]";
    LocalAddresses a = LocalAddresses.parse(ps, "127.0.0.1");
    assertEquals(LocalAddresses.NONE_PUBLISHED, a.problem());
    assertTrue(a.env().isEmpty());
    assertTrue(a.problem().startsWith("no service of the stack publishes a port"));
  }
}
