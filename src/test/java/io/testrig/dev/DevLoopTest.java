package io.testrig.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.backend.ComposeProject;
import io.testrig.backend.FakeBackend;
import io.testrig.compose.ProjectCompose;
import io.testrig.core.CallCount;
import io.testrig.core.ExitCode;
import io.testrig.core.MaskingWriter;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.dev.Services.Address;
import io.testrig.dev.Services.Service;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logic under info, env, exec/logs masking and reload, without an engine. */
class DevLoopTest {
  @Test
  void shellQuotingSurvivesEval() {
    assertEquals("abc/1.2:3", Shell.quote("abc/1.2:3"));
    assertEquals("'a b'", Shell.quote("a b"));
    assertEquals("'it'\\''s $x `y`'", Shell.quote("it's $x `y`"));
    assertEquals("''", Shell.quote(""));
    assertEquals("PASSWORD_DB_APP", Shell.name("password.db.app"));
    assertEquals("WEB_STACK_API", Shell.name("web-stack/api"));
  }

  @Test
  void composePsJsonInBothShapes() {
    String line1 =
        "{\"Service\":\"web\",\"State\":\"running\",\"Publishers\":["
            + "{\"URL\":\"0.0.0.0\",\"TargetPort\":443,\"PublishedPort\":49153,\"Protocol\":\"tcp\"},"
            + "{\"URL\":\"::\",\"TargetPort\":443,\"PublishedPort\":49153,\"Protocol\":\"tcp\"},"
            + "{\"URL\":\"\",\"TargetPort\":80,\"PublishedPort\":0,\"Protocol\":\"tcp\"}]}";
    String line2 = "{\"Service\":\"db\",\"State\":\"exited\",\"Publishers\":null}";
    List<Service> nd = Services.parse(line1 + "\n" + line2 + "\n");
    assertEquals(nd, Services.parse("[" + line1 + "," + line2 + "]"));
    assertEquals(List.of("db", "web"), nd.stream().map(Service::name).toList());
    Service web = nd.get(1);
    assertEquals(List.of(new Address("127.0.0.1", 49153, 443, "tcp")), web.published());
    assertEquals(List.of(80), web.ports());
    assertEquals("[::1]:8080", new Address("::1", 8080, 80, "tcp").hostPort());
  }

  @Test
  void theEngineGivesTheSameServicesAsComposePsWithoutAComposeProcess() {
    // The rows of composePsJsonInBothShapes, as containers of project p on the fake engine.
    FakeBackend fake = new FakeBackend();
    fake.service("web").publishes(443, "::", 49153).exposes(80).publishes(443, "0.0.0.0", 49153);
    fake.service("db");
    fake.compose(new ComposeProject("p", List.of(), List.of(), Map.of(), new Redactor()))
        .create(List.of(), List.of(), Duration.ofSeconds(1));
    fake.startContainer(fake.containers().get(0).id());
    String line1 =
        "{\"Service\":\"web\",\"State\":\"running\",\"Publishers\":["
            + "{\"URL\":\"0.0.0.0\",\"TargetPort\":443,\"PublishedPort\":49153,\"Protocol\":\"tcp\"},"
            + "{\"URL\":\"::\",\"TargetPort\":443,\"PublishedPort\":49153,\"Protocol\":\"tcp\"},"
            + "{\"URL\":\"\",\"TargetPort\":80,\"PublishedPort\":0,\"Protocol\":\"tcp\"}]}";
    String line2 = "{\"Service\":\"db\",\"State\":\"created\",\"Publishers\":null}";
    int before = CallCount.compose();
    List<Service> fromEngine =
        Services.of(fake, ProjectCompose.of(fake, "p", Map.of(), new Redactor()));
    assertEquals(Services.parse(line1 + "\n" + line2), fromEngine);
    assertEquals(before, CallCount.compose(), "no compose process");
    // A backend that cannot tell the ports: compose ps is asked (the fake's compose binary does not
    // exist, so that fails).
    FakeBackend unknown = new FakeBackend();
    unknown.service("web").portsUnknown();
    unknown
        .compose(new ComposeProject("q", List.of(), List.of(), Map.of(), new Redactor()))
        .create(List.of(), List.of(), Duration.ofSeconds(1));
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> Services.of(unknown, ProjectCompose.of(unknown, "q", Map.of(), new Redactor())));
    assertTrue(e.getMessage().contains("fake-compose"), e.getMessage());
  }

  @Test
  void revealIsRefusedUnderCiUnlessForced() {
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> StackInfo.requireRevealAllowed(Map.of("CI", "true"), false, "--secrets"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    StackInfo.requireRevealAllowed(Map.of("CI", "true"), true, "--secrets");
    StackInfo.requireRevealAllowed(Map.of(), false, "--secrets");
  }

  @Test
  void liveOutputIsMaskedEvenWhenASecretIsSplitAcrossReads() throws Exception {
    Redactor r = new Redactor();
    r.add("password.db.app", "hunter2-very-secret");
    StringWriter sink = new StringWriter();
    MaskingWriter w = new MaskingWriter(sink, r, true);
    w.write("prompt$ hun");
    assertEquals("prompt$ ", sink.toString(), "the possible start of a secret is held back");
    w.write("ter2-very-");
    w.write("secret done\n");
    w.write("$ ");
    assertEquals("prompt$ [MASKED password.db.app] done\n$ ", sink.toString());
    StringWriter lines = new StringWriter();
    MaskingWriter l = new MaskingWriter(lines, r, false);
    l.write("a hunter2-");
    assertEquals("", lines.toString(), "line mode waits for the line's end");
    l.write("very-secret\nb");
    l.flush();
    assertEquals("a [MASKED password.db.app]\nb", lines.toString());
  }

  @Test
  void holdBackIsTheLongestSuffixThatStartsASecret() {
    Redactor r = new Redactor();
    r.add("p", "abcdefgh");
    assertEquals(0, r.holdBack("xyz"));
    assertEquals(3, r.holdBack("xxabc"));
    assertEquals(7, r.holdBack("abcdefg"));
  }

  @Test
  void reloadMapsChangedFilesToTheServicesMountingThem(@TempDir Path dir) throws Exception {
    String config =
        """
        {"db": {"volumes": [
           {"type": "bind", "source": "%1$s/postgres", "target": "/etc/pg"},
           {"type": "volume", "source": "data", "target": "/data"}]},
         "tests": {"volumes": [
           {"type": "bind", "source": "%1$s/tests/settings.json", "target": "/s.json"}]},
         "web": {}}
        """
            .formatted(dir);
    var services = new ObjectMapper().readTree(config);
    assertEquals(
        Map.of("db", List.of("postgres/pg.conf"), "tests", List.of("tests/settings.json")),
        Reload.mounts(
            services, dir, List.of("postgres/pg.conf", "tests/settings.json", "other.txt")));
  }

  @Test
  void reloadHashesRenderedFilesOnly(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("certs"));
    Files.createDirectories(dir.resolve("postgres"));
    Files.writeString(dir.resolve("certs/db.key"), "k");
    Files.writeString(dir.resolve("config.json"), "{}");
    Files.writeString(dir.resolve(".testrig-run"), "");
    Files.writeString(dir.resolve("postgres/pg.conf"), "a");
    Map<String, String> h = Reload.hashes(dir);
    assertEquals(List.of("postgres/pg.conf"), List.copyOf(h.keySet()));
    Files.writeString(dir.resolve("postgres/pg.conf"), "b");
    assertFalse(h.equals(Reload.hashes(dir)));
    assertTrue(Reload.hashes(dir).containsKey("postgres/pg.conf"));
  }
}
