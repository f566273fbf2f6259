package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
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
}
