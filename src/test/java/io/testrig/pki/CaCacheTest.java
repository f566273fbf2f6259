package io.testrig.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCacheTest {
  @TempDir Path dir;
  final PkiFixture pki = new PkiFixture();

  private PkiResult issue(String yaml) {
    return issue(yaml, Instant.now());
  }

  private PkiResult issue(String yaml, Instant now) {
    return pki.issue(PkiFixture.spec(yaml), dir, now);
  }

  private String error(String yaml) {
    TestrigException e = assertThrows(TestrigException.class, () -> issue(yaml));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertFalse(e.getMessage().contains("\n"), "one line");
    return e.getMessage();
  }

  private Path cache() {
    return dir.resolve("ca-cache");
  }

  @Test
  void aCachedCaIsKeptAcrossRunsAndItsKeyStaysOutOfTheRunDirectory() throws Exception {
    PkiResult first = issue("ca: {cache: ca-cache}\nissue: {db: {}}");
    assertTrue(first.caCreated());
    assertEquals(cache(), first.caCacheDir());
    assertEquals("rwx------", PkiTest.mode(cache()));
    assertEquals("r--------", PkiTest.mode(cache().resolve("ca.key")));
    assertEquals("rw-r--r--", PkiTest.mode(cache().resolve("ca.crt")));
    assertFalse(Files.exists(dir.resolve("certs/ca.key")), "the cached key is not copied");
    assertEquals(first.caCert(), PkiFixture.parse(dir.resolve("certs/ca.crt")));

    PkiResult second = issue("ca: {cache: ca-cache}\nissue: {db: {}, web: {}}");
    assertFalse(second.caCreated());
    assertEquals(first.caCert(), second.caCert());
    second.certs().get("web").certificate().verify(first.caCert().getPublicKey());
    // A truststore made in the first run trusts the second run's leaf.
    PkiTest.validate(first.caCert(), second.certs().get("web").certificate());
  }

  @Test
  void anExpiredCacheIsAnErrorThatSaysHowToRecover() {
    issue("ca: {cache: ca-cache, validity_days: 2}\nissue: {db: {}}", Instant.now());
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                issue(
                    "ca: {cache: ca-cache}\nissue: {db: {}}",
                    Instant.now().plus(Duration.ofDays(3))));
    assertTrue(
        e.getMessage()
            .matches(
                "CA cache .*ca-cache: cached CA expired on \\d{4}-\\d\\d-\\d\\d;"
                    + " delete .*ca-cache to make a new CA \\(clients must then trust the new ca.crt\\)"),
        e.getMessage());
  }

  @Test
  void aKeyThatDoesNotMatchIsAnError() throws Exception {
    issue("ca: {cache: ca-cache}\nissue: {db: {}}");
    Path other = dir.resolve("other");
    pki.issue(PkiFixture.spec("ca: {cache: other}\nissue: {db: {}}"), dir, Instant.now());
    Path key = cache().resolve("ca.key");
    Files.delete(key);
    Files.copy(other.resolve("ca.key"), key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
    assertTrue(
        error("ca: {cache: ca-cache}\nissue: {db: {}}").contains("ca.key does not match "),
        "message");
  }

  @Test
  void incompleteGarbledOrWrongTypeCachesAreErrors() throws Exception {
    issue("ca: {cache: ca-cache}\nissue: {db: {}}");
    assertTrue(
        error("ca: {cache: ca-cache, key: rsa-2048}\nissue: {db: {}}")
            .contains("cached CA has a ecdsa-p256 key but certs.ca.key is rsa-2048"));

    Path key = cache().resolve("ca.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(
        error("ca: {cache: ca-cache}\nissue: {db: {}}")
            .endsWith(
                "the cached CA key is readable by others (mode rw-r--r--); run chmod 400 " + key));

    Files.delete(key);
    assertTrue(
        error("ca: {cache: ca-cache}\nissue: {db: {}}")
            .contains("cached CA is incomplete, ca.key is missing"));

    Files.writeString(key, "not a key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
    assertTrue(
        error("ca: {cache: ca-cache}\nissue: {db: {}}")
            .contains("holds no unencrypted PEM PKCS#8 key block"));

    Files.writeString(
        cache().resolve("ca.crt"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertTrue(
        error("ca: {cache: ca-cache}\nissue: {db: {}}").contains("is not a valid certificate"));
  }

  @Test
  void aConstrainedCacheRefusesANameItDoesNotPermit() {
    issue("ca: {cache: ca-cache, name_constraints: true}\nissue: {db: {}}");
    issue("ca: {cache: ca-cache, name_constraints: true}\nissue: {db: {dns: [x.db]}}");
    assertTrue(
        error("ca: {cache: ca-cache}\nissue: {db: {}, web: {}}")
            .contains("the cached CA's name constraints do not permit 'web' (certs.issue.web)"));
    assertTrue(
        error("ca: {cache: ca-cache}\nissue: {db: {ip: [127.0.0.1]}}")
            .contains("do not permit '127.0.0.1' (certs.issue.db)"));
  }

  @Test
  void tildeExpandsToHomeAndRelativePathsToTheRigDirectory() {
    Path home = Path.of(System.getProperty("user.home"));
    assertEquals(home.resolve(".cache/testrig-ca"), Pki.cacheDir("~/.cache/testrig-ca", dir));
    assertEquals(dir.resolve("ca"), Pki.cacheDir("ca", dir));
    assertEquals(Path.of("/abs/ca"), Pki.cacheDir("/abs/ca", dir));
    assertEquals(null, Pki.cacheDir(null, dir));
  }
}
