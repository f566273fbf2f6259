package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.rig.SuiteSpec;
import io.testrig.support.Suites;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JunitLaunchTest {
  @TempDir Path tmp;

  @Test
  void consoleJarComesFromTheEnvironmentOrTheImagePath() {
    assertEquals(
        Path.of("/opt/testrig/junit-platform-console-standalone.jar"),
        JunitLaunch.consoleJar(Map.of()));
    assertEquals(
        Path.of("/x/console.jar"),
        JunitLaunch.consoleJar(Map.of("TESTRIG_JUNIT_CONSOLE", "/x/console.jar")));
  }

  @Test
  void argumentsScanTheClasspathUnlessTheRigSelects() {
    List<String> common =
        List.of(
            "execute",
            "--disable-banner",
            "--fail-if-no-tests",
            "--config=junit.platform.output.capture.stdout=true",
            "--config=junit.platform.output.capture.stderr=true");
    List<String> scan = new ArrayList<>(common);
    scan.addAll(List.of("--class-path", "a.jar:b", "--scan-classpath", "--reports-dir", "/r"));
    assertEquals(scan, JunitLaunch.args(List.of("a.jar", "b"), List.of(), "/r"));

    List<String> select = new ArrayList<>(common);
    select.addAll(List.of("--select-package=com.x", "--reports-dir", "/r"));
    assertEquals(select, JunitLaunch.args(List.of(), List.of("--select-package=com.x"), "/r"));
  }

  @Test
  void aMissingClasspathEntryIsBadInputNamingIt() {
    SuiteSpec.Jvm spec =
        (SuiteSpec.Jvm) Suites.named("jvm").junit(List.of("build/classes"), null, true).build();
    TestrigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TestrigException.class, () -> JunitLaunch.classpath(spec, tmp));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(
        "suites.jvm.junit.classpath[0]: " + tmp.resolve("build/classes") + " does not exist",
        e.getMessage());
  }

  @Test
  void theTarLaysOutTheJarAndTheClasspathForTheContainer() throws IOException {
    Path console = Files.writeString(tmp.resolve("console.jar"), "jar");
    Path classes = Files.createDirectories(tmp.resolve("classes/demo"));
    Files.writeString(classes.resolve("T.class"), "cafebabe");
    Path lib = Files.writeString(tmp.resolve("lib.jar"), "lib");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();

    List<String> remote = JunitLaunch.writeTar(console, List.of(tmp.resolve("classes"), lib), buf);

    assertEquals(List.of("/testrig-junit/cp/0", "/testrig-junit/cp/1/lib.jar"), remote);
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new ByteArrayInputStream(buf.toByteArray()))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        names.add(e.getName() + (e.isFile() ? " " + new String(in.readAllBytes()) : ""));
      }
    }
    assertEquals(
        List.of(
            "testrig-junit/",
            "testrig-junit/junit-platform-console-standalone.jar jar",
            "testrig-junit/cp/",
            "testrig-junit/cp/0/",
            "testrig-junit/cp/0/demo/",
            "testrig-junit/cp/0/demo/T.class cafebabe",
            "testrig-junit/cp/1/",
            "testrig-junit/cp/1/lib.jar lib"),
        names);
  }
}
