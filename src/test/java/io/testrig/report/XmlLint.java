package io.testrig.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Validates a file with the real xmllint against the shared junit-10.xsd. */
public final class XmlLint {
  /** Relative to the project root, where surefire runs (see BRIEF: ../shared/schemas). */
  public static final Path XSD = Path.of("../shared/schemas/junit-10.xsd");

  private XmlLint() {}

  public static void assertValid(Path xml) {
    assertTrue(Files.isRegularFile(XSD), "missing " + XSD.toAbsolutePath());
    Exec.Result r =
        new Exec()
            .run(
                List.of("xmllint", "--noout", "--schema", XSD.toString(), xml.toString()),
                Duration.ofSeconds(120));
    assertTrue(r.ok(), "xmllint rejected " + xml + ": " + r.stderr());
  }
}
