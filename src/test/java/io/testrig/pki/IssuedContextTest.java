package io.testrig.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.testrig.rig.CertsSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `testrig reload` renders with the certs already issued: the same variables as at issue time. */
class IssuedContextTest {
  @Test
  void readBackEqualsWhatIssueReturned(@TempDir Path dir) {
    PkiFixture f = new PkiFixture();
    CertsSpec spec =
        PkiFixture.spec("issue:\n  db: {dns: [db]}\n  app: {usage: [client], pk8: true}");
    PkiResult issued = f.issue(spec, dir, java.time.Instant.now());
    assertEquals(
        issued.templateContext(), IssuedContext.read(spec, dir.resolve("certs"), f::secret));
  }
}
