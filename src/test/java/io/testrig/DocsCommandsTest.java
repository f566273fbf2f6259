package io.testrig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link DocsCommandsIT}'s lists stay true without an engine: no stale exclusion or exit code. */
class DocsCommandsTest {
  @Test
  void exclusionsAndExitCodesNameCommandsInTheDocs() throws Exception {
    Map<String, String> commands = DocsCommandsIT.commands(Path.of("docs"));
    List<String> stale = new ArrayList<>(DocsCommandsIT.EXCLUDED.keySet());
    stale.addAll(DocsCommandsIT.EXIT_CODES.keySet());
    stale.removeAll(commands.keySet());
    assertEquals(List.of(), stale, "not in docs/*.md (any more): " + commands.keySet());
    DocsCommandsIT.EXCLUDED.values().forEach(r -> assertTrue(r.length() > 20, r));
  }

  @Test
  void extractionJoinsContinuationsAndSkipsComments() throws Exception {
    Map<String, String> commands = DocsCommandsIT.commands(Path.of("docs"));
    assertTrue(
        commands.keySet().stream().anyMatch(c -> c.startsWith("docker run --rm -v ")),
        commands.keySet().toString());
    assertTrue(commands.keySet().stream().noneMatch(c -> c.startsWith("#") || c.endsWith("\\")));
  }
}
