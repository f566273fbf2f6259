package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The subcommand table Main picks the invoked command from without reading every annotation. */
class TestrigCommandTest {
  @Test
  void eachNameIsItsClassesCommandName() {
    List<String> annotated =
        TestrigCommand.SUBCOMMANDS.stream()
            .map(c -> c.getAnnotation(CommandLine.Command.class).name())
            .toList();
    assertEquals(annotated, TestrigCommand.NAMES);
  }

  private static PrintWriter sink() {
    return new PrintWriter(new StringWriter());
  }

  @Test
  void onlyTheInvokedSubcommandIsBuilt() {
    CommandLine cl = Main.commandLine(sink(), sink(), new String[] {"down", "-p", "x"});
    assertEquals(List.of("down"), List.copyOf(cl.getSubcommands().keySet()));
    CommandLine all = Main.commandLine(sink(), sink(), new String[] {"--help"});
    assertEquals(TestrigCommand.NAMES, List.copyOf(all.getSubcommands().keySet()));
  }

  /**
   * Main leaves out picocli's java.sql and java.time converters: an option of such a type without a
   * converter of its own would fail to parse. Every option and parameter of every command is
   * checked.
   */
  @Test
  void noOptionNeedsAConverterMainLeavesOut() {
    CommandLine all = Main.commandLine(sink(), sink(), new String[] {"--help"});
    List<String> left = new ArrayList<>();
    List<CommandLine> todo = new ArrayList<>(List.of(all));
    int seen = 0;
    while (!todo.isEmpty()) {
      CommandLine c = todo.remove(0);
      todo.addAll(c.getSubcommands().values());
      for (CommandLine.Model.ArgSpec a : c.getCommandSpec().args()) {
        seen++;
        if (a.converters().length > 0) {
          continue;
        }
        for (Class<?> type : a.auxiliaryTypes()) {
          if (excluded(type.getName())) {
            left.add(c.getCommandSpec().qualifiedName() + " " + a + ": " + type.getName());
          }
        }
      }
    }
    assertEquals(List.of(), left);
    assertTrue(seen > 50, "walked every command: " + seen);
    assertTrue(excluded("java.time.Duration") && excluded("java.sql.Time"));
    assertTrue(!excluded("java.nio.file.Path") && !excluded("java.lang.String"));
  }

  private static boolean excluded(String type) {
    for (String regex : Main.UNUSED_CONVERTERS.split(",")) {
      if (Pattern.matches(regex, type)) {
        return true;
      }
    }
    return false;
  }
}
