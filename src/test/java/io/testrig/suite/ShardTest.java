package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.SuiteSpec;
import io.testrig.support.Suites;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suite sharding by GitLab's CI_NODE_INDEX/CI_NODE_TOTAL (parallel: N). */
class ShardTest {
  @TempDir Path tmp;

  @Test
  void theShardComesFromGitLabsVariablesAndBadOnesAreBadInput() {
    assertSame(Shard.NONE, Shard.fromEnv(Map.of()));
    assertEquals(
        new Shard(2, 3), Shard.fromEnv(Map.of("CI_NODE_INDEX", "2", "CI_NODE_TOTAL", "3")));
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> Shard.fromEnv(Map.of("CI_NODE_INDEX", "4", "CI_NODE_TOTAL", "3")));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals("CI_NODE_INDEX=4 CI_NODE_TOTAL=3: need 1 <= index <= total", e.getMessage());
    e =
        assertThrows(
            TestrigException.class,
            () -> Shard.fromEnv(Map.of("CI_NODE_INDEX", "x", "CI_NODE_TOTAL", "2")));
    assertEquals("CI_NODE_INDEX='x': expected a whole number", e.getMessage());
  }

  @Test
  void aJobWithoutParallelIsNoShard() {
    // GitLab: CI_NODE_TOTAL=1 and no index; gitlab-ci-local: CI_NODE_INDEX=null (this failed
    // every suite under gitlab-ci-local before).
    assertSame(Shard.NONE, Shard.fromEnv(Map.of("CI_NODE_TOTAL", "1")));
    assertSame(Shard.NONE, Shard.fromEnv(Map.of("CI_NODE_TOTAL", "1", "CI_NODE_INDEX", "null")));
    assertSame(Shard.NONE, Shard.fromEnv(Map.of("CI_NODE_INDEX", "3")));
  }

  @Test
  void everySuiteGetsTheShardVariables() {
    SuiteTarget t = new SuiteTarget("r", null, null, Map.of("A", "1"), Map.of(), tmp);
    assertSame(t, Shard.NONE.target(t));
    assertEquals(
        Map.of(
            "A", "1",
            "TESTRIG_SHARD_INDEX", "2",
            "TESTRIG_SHARD_TOTAL", "3",
            "CI_NODE_INDEX", "2",
            "CI_NODE_TOTAL", "3"),
        new Shard(2, 3).target(t).env());
  }

  @Test
  void testClassesComeFromDirectoriesAndJarsWithTheLaunchersDefaultFilter() throws IOException {
    Path dir = tmp.resolve("classes");
    for (String c :
        List.of("a/FooTest", "a/FooTest$Inner", "a/Helper", "b/TestBar", "b/BazTests")) {
      Files.createDirectories(dir.resolve(c).getParent());
      Files.writeString(dir.resolve(c + ".class"), "");
    }
    Path jar = tmp.resolve("more.jar");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (String e : List.of("c/QuxTest.class", "META-INF/MANIFEST.MF", "c/Util.class")) {
        z.putNextEntry(new ZipEntry(e));
        z.closeEntry();
      }
    }
    assertEquals(
        List.of("a.FooTest", "b.BazTests", "b.TestBar", "c.QuxTest"),
        Shard.testClasses(List.of(dir, jar)));
  }

  @Test
  void aRigsOwnSelectionIsLeftAlone() {
    SuiteSpec spec = jvm(List.of("--select-package=x"));
    assertSame(spec, new Shard(1, 2).spec(spec, tmp));
    SuiteSpec pytest = Suites.named("py").service("tests").build();
    assertSame(pytest, new Shard(1, 2).spec(pytest, tmp));
  }

  @Test
  void aJvmSuiteSplitsByTestClassAcrossShardsEachTestOnce() throws IOException {
    // Five real test classes, run by the real console launcher in three shards.
    compile("OneTest", "TwoTest", "ThreeTest", "FourTest", "FiveTest");
    List<String> ran = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      SuiteRunner runner =
          new SuiteRunner(
              null, tmp.resolve("artifacts-" + i), new Redactor(), consoleJar(), new Shard(i, 3));
      SuiteResult r =
          runner.run(jvm(null), new SuiteTarget("r", null, null, Map.of(), Map.of(), tmp));
      assertNull(r.problem(), r.toString());
      assertEquals(0, r.exitCode());
      List<String> mine = new ArrayList<>();
      for (Path f : r.junitFiles()) {
        Matcher m = Pattern.compile("classname=\"(demo\\.\\w+)\"").matcher(Files.readString(f));
        while (m.find()) {
          if (!mine.contains(m.group(1))) {
            mine.add(m.group(1));
          }
        }
      }
      assertEquals(i == 1 ? 2 : i == 2 ? 2 : 1, mine.size(), "shard " + i + ": " + mine);
      ran.addAll(mine);
    }
    assertEquals(
        List.of("demo.FiveTest", "demo.FourTest", "demo.OneTest", "demo.ThreeTest", "demo.TwoTest"),
        ran.stream().sorted().toList());
  }

  private SuiteSpec jvm(List<String> select) {
    return Suites.named("jvm")
        .timeout(Duration.ofMinutes(2))
        .junit(List.of("classes"), select, true)
        .build();
  }

  private void compile(String... names) throws IOException {
    List<String> args = new ArrayList<>(List.of("-d", tmp.resolve("classes").toString()));
    args.addAll(List.of("-cp", consoleJar().toString()));
    for (String n : names) {
      Path src = tmp.resolve("src/demo/" + n + ".java");
      Files.createDirectories(src.getParent());
      Files.writeString(
          src, "package demo;\nclass " + n + " { @org.junit.jupiter.api.Test void ok() {} }\n");
      args.add(src.toString());
    }
    OutputStream quiet = OutputStream.nullOutputStream();
    assertEquals(
        0,
        ToolProvider.getSystemJavaCompiler().run(null, quiet, quiet, args.toArray(String[]::new)));
  }

  /** The console launcher of the pom's junit.version, from the local Maven repository. */
  static Path consoleJar() throws IOException {
    Matcher m =
        Pattern.compile("<junit.version>([^<]+)</junit.version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "junit.version in pom.xml");
    Path jar =
        Path.of(
            System.getProperty("user.home"),
            ".m2/repository/org/junit/platform/junit-platform-console-standalone",
            m.group(1),
            "junit-platform-console-standalone-" + m.group(1) + ".jar");
    assertTrue(Files.isRegularFile(jar), jar + " (mvn dependency:go-offline fetches it)");
    return jar;
  }
}
