package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example python image's run-pytest splits a suite by test file with the TESTRIG_SHARD_*
 * variables testrig passes (from GitLab's CI_NODE_INDEX/CI_NODE_TOTAL). Runs the script itself with
 * Debian's python3-pytest on the host (scripts/setup-host.sh), reports in a temp dir.
 */
class PytestShardTest {
  static final Path SCRIPT = Path.of("examples/images/python/run-pytest").toAbsolutePath();

  @TempDir Path tmp;

  private Exec.Result run(Path suite, Path reports, int index, int total) {
    Exec exec =
        new Exec()
            .workDir(suite)
            .env("SUITE_NAME", "py")
            .env("REPORTS_DIR", reports.toString())
            .env("PYTHONDONTWRITEBYTECODE", "1");
    if (total > 0) {
      exec.env("TESTRIG_SHARD_INDEX", String.valueOf(index))
          .env("TESTRIG_SHARD_TOTAL", String.valueOf(total));
    }
    return exec.run(List.of("sh", SCRIPT.toString(), suite.toString()), Duration.ofMinutes(2));
  }

  private static List<String> classnames(Path xml) throws IOException {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("classname=\"([\\w.]+)\"").matcher(Files.readString(xml));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void eachShardRunsItsShareOfTheFilesAndTogetherTheyRunAll() throws IOException {
    Path suite = Files.createDirectories(tmp.resolve("suite"));
    for (String f : List.of("test_a.py", "test_b.py", "c_test.py", "sub/test_d.py")) {
      Files.createDirectories(suite.resolve(f).getParent());
      Files.writeString(suite.resolve(f), "def test_one():\n    pass\n");
    }
    Files.writeString(suite.resolve("helper.py"), "X = 1\n");
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Path reports = tmp.resolve("reports-" + i);
      Exec.Result r = run(suite, reports, i, 3);
      assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
      List<String> mine = classnames(reports.resolve("py.xml"));
      // 4 files in 3 shards: 2, 1, 1 (sorted: c_test, sub/test_d, test_a, test_b).
      assertEquals(i == 1 ? 2 : 1, mine.size(), "shard " + i + ": " + mine);
      all.addAll(mine);
    }
    assertEquals(
        List.of("c_test", "sub.test_d", "test_a", "test_b"), all.stream().sorted().toList());

    // Unsharded: everything; more shards than files: an empty report, exit 0.
    Exec.Result whole = run(suite, tmp.resolve("whole"), 0, 0);
    assertEquals(0, whole.exitCode(), whole.stdout() + whole.stderr());
    assertEquals(4, classnames(tmp.resolve("whole/py.xml")).size());
    Exec.Result empty = run(suite, tmp.resolve("empty"), 6, 6);
    assertEquals(0, empty.exitCode(), empty.stdout() + empty.stderr());
    assertTrue(empty.stdout().contains("shard 6 of 6: no test files"), empty.stdout());
    assertTrue(Files.readString(tmp.resolve("empty/py.xml")).contains("tests=\"0\""));
  }
}
