package io.testrig.template;

import static io.testrig.Fixtures.mode;
import static io.testrig.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.Fixtures;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateRendererTest {
  @TempDir Path tmp;

  /** A rig in tmp/proj rendering tmp/proj/t into the run dir root, plus its run dir. */
  private Rig rig(String extra) {
    write(
        tmp.resolve("proj/testrig.yml"),
        "values:\n  db: {name: shop, port: 5432}\n  monitoring: {enabled: false}\n"
            + "templates:\n  - from: t\n"
            + extra);
    return Fixtures.rig(tmp.resolve("proj/testrig.yml"));
  }

  private Path tpl(String rel, String text) {
    // Like most editors, end files with a newline (jinjava keeps it: keep_trailing_newline).
    return write(tmp.resolve("proj/t").resolve(rel), text.endsWith("\n") ? text : text + "\n");
  }

  private record Out(RenderResult result, RunDir dir, SecretStore store, Redactor redactor) {
    String read(String rel) throws IOException {
      return Files.readString(dir.path().resolve(rel));
    }
  }

  private Out render(Rig rig, Map<String, String> set, Map<String, Object> extra) {
    RunDir dir = RunDir.resolve(rig, tmp.resolve("run"));
    Redactor redactor = new Redactor();
    SecretStore store = SecretStore.open(rig, dir, null, redactor);
    Map<String, Object> values = Values.resolve(rig, store, Map.of(), set, Map.of());
    RenderResult r = TemplateRenderer.render(rig, dir, store, values, extra);
    return new Out(r, dir, store, redactor);
  }

  private Out render(Rig rig) {
    return render(rig, Map.of(), Map.of());
  }

  private TestrigException renderFails(Rig rig) {
    TestrigException e = assertThrows(TestrigException.class, () -> render(rig));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void rendersFixtureMirroringTreeWithOneSecretEverywhere() throws IOException {
    Path proj = Fixtures.copy("basic", tmp);
    Rig rig = Fixtures.rig(proj.resolve("testrig.yml"));
    Out o = render(rig);
    String pw = o.store.secret("password.db.app");
    assertEquals(
        "[database]\nname = shop\nport = 5432\npassword = " + pw + "\n\n", o.read("etc/app.ini"));
    assertEquals("postgresql://app:" + pw + "@db:5432/shop\n", o.read("etc/sub/url.txt"));
    assertEquals("# shop (1:name,2:port)\n", o.read("etc/readme.md"));
    // No template suffix: copied verbatim, executable bit kept.
    assertEquals("#!/bin/sh\necho \"{{ not rendered }}\"\n", o.read("etc/static.sh"));
    assertEquals("rwxr-xr-x", mode(o.dir.path().resolve("etc/static.sh")));
    // Outputs with a secret are 0600; others keep the source's 0644.
    assertEquals("rw-------", mode(o.dir.path().resolve("etc/app.ini")));
    assertEquals("rw-------", mode(o.dir.path().resolve("etc/sub/url.txt")));
    assertEquals("rw-r--r--", mode(o.dir.path().resolve("etc/readme.md")));
    assertEquals(2, o.result.secretFiles());
    assertEquals(4, o.result.files().size());
    // Nothing staged is left behind.
    try (Stream<Path> s = Files.list(o.dir.path())) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".render-")));
    }
  }

  @Test
  void secretsAtAnyDepthAreGeneratedOnceAndFiltersSeeTheValue() throws IOException {
    Rig rig = rig("");
    tpl(
        "a.j2",
        "{{ password.a.b.c.d }}|{{ password.a.b.c.d }}|{{ password['a']['b'].c.d }}|"
            + "{{ password.x | length }}|{{ password.x | upper }}|{{ password.x | b64encode }}|"
            + "{{ password.x | string }}|{{ password.x ~ '!' }}|{{ token.t }}|{{ hex.h }}|"
            + "{{ uuid.u }}|{{ password.x | urlencode }}\n");
    Out o = render(rig);
    String[] f = o.read("a").strip().split("\\|");
    String deep = o.store.secret("password.a.b.c.d");
    String x = o.store.secret("password.x");
    assertEquals(deep, f[0]);
    assertEquals(deep, f[1]);
    assertEquals(deep, f[2]);
    assertEquals("32", f[3]);
    assertEquals(x.toUpperCase(), f[4]);
    assertEquals(Base64.getEncoder().encodeToString(x.getBytes()), f[5]);
    assertEquals(x, f[6]);
    assertEquals(x + "!", f[7]);
    assertEquals(o.store.secret("token.t"), f[8]);
    assertEquals(o.store.secret("hex.h"), f[9]);
    assertEquals(o.store.secret("uuid.u"), f[10]);
    assertEquals(x, f[11]);
    // Saved values come back identical in the next render.
    o.store.save();
    Out again = render(rig);
    assertEquals(o.read("a"), again.read("a"));
  }

  @Test
  void customGeneratorIsANamespace() throws IOException {
    Rig rig =
        rig(
            "secrets:\n  generators:\n    pin: {kind: chars, alphabet: \"0123456789\", length: 8}\n");
    tpl("p.j2", "{{ pin.door }}");
    Out o = render(rig);
    assertTrue(o.read("p").matches("[0-9]{8}\\n"), o.read("p"));
  }

  @Test
  void featureFlagsFollowSet() throws IOException {
    Rig rig = rig("");
    tpl("m.j2", "{% if monitoring.enabled %}on{% else %}off{% endif %}");
    assertEquals("off\n", render(rig).read("m"));
    assertEquals("on\n", render(rig, Map.of("monitoring.enabled", "true"), Map.of()).read("m"));
  }

  @Test
  void runDirAndExtraContextAreAvailable() throws IOException {
    Rig rig = rig("");
    tpl("c.j2", "{{ run.dir }} {{ certs.db.cert_path }}");
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("certs", Map.of("db", Map.of("cert_path", "/x/db.pem")));
    Out o = render(rig, Map.of(), extra);
    assertEquals(o.dir.path() + " /x/db.pem\n", o.read("c"));
    assertEquals("rw-r--r--", mode(o.dir.path().resolve("c")));
  }

  @Test
  void modeFromRigWinsOverSecretDefault() throws IOException {
    Rig rig = rig("    mode: \"0640\"\n");
    tpl("s.j2", "{{ password.s }}");
    Out o = render(rig);
    assertEquals("rw-r-----", mode(o.dir.path().resolve("s")));
    assertTrue(o.result.files().get(0).secret());
  }

  @Test
  void secretDetectedEvenWhenItArrivesThroughSet() throws IOException {
    // --set password.db.app=... is a secret too; an output quoting it is 0600.
    Rig rig = rig("");
    tpl("s.j2", "{% set p = password.db.app %}{{ p }}");
    Out o = render(rig, Map.of("password.db.app", "Preset1234567"), Map.of());
    assertEquals("Preset1234567\n", o.read("s"));
    assertEquals("rw-------", mode(o.dir.path().resolve("s")));
    assertEquals("[MASKED password.db.app]", o.redactor.redact("Preset1234567"));
  }

  @Test
  void globSelectsFilesAndMirrorsBelowItsRoot() throws IOException {
    write(
        tmp.resolve("proj/testrig.yml"),
        "values: {v: 1}\ntemplates:\n  - from: src/**/*.conf.j2\n    to: out\n");
    write(tmp.resolve("proj/src/top.conf.j2"), "top {{ v }}\n");
    write(tmp.resolve("proj/src/a/b/deep.conf.j2"), "deep {{ v }}\n");
    write(tmp.resolve("proj/src/a/skip.txt"), "skip");
    Out o = render(Fixtures.rig(tmp.resolve("proj/testrig.yml")));
    assertEquals("top 1\n", o.read("out/top.conf"));
    assertEquals("deep 1\n", o.read("out/a/b/deep.conf"));
    assertFalse(Files.exists(o.dir.path().resolve("out/a/skip.txt")));
  }

  @Test
  void valuesAreNotReRendered() throws IOException {
    Rig rig = rig("");
    tpl("n.j2", "{{ evil }}|{{ password.p }}");
    Out o = render(rig, Map.of("evil", "{{ 7*7 }}{% raw %}"), Map.of());
    assertTrue(o.read("n").startsWith("{{ 7*7 }}{% raw %}|"), o.read("n"));
  }

  @Test
  void includesWithinTheRootWork() throws IOException {
    Rig rig = rig("");
    tpl("main.j2", "{% include 'parts/footer.inc' %}");
    tpl("parts/footer.inc", "footer {{ db.name }}");
    assertEquals("footer shop\n\n", render(rig).read("main"));
  }

  // ---- strictness ----

  @Test
  void undefinedVariableNamesFileAndLine() {
    Rig rig = rig("");
    tpl("u.j2", "line1\nline2 {{ nope }}\n");
    TestrigException e = renderFails(rig);
    assertEquals("t/u.j2:2: undefined: 'nope'", e.getMessage());
  }

  @Test
  void undefinedKeyOfAMapFails() {
    Rig rig = rig("");
    tpl("u.j2", "\n\n{{ db.nmae ~ 'x' }}\n");
    TestrigException e = renderFails(rig);
    assertTrue(e.getMessage().startsWith("t/u.j2:3: "), e.getMessage());
    assertTrue(e.getMessage().contains("nmae"), e.getMessage());
  }

  @Test
  void undefinedFlagInIfFails() {
    Rig rig = rig("");
    tpl("u.j2", "{% if monitoring.enabeld %}x{% endif %}");
    TestrigException e = renderFails(rig);
    assertTrue(e.getMessage().contains("t/u.j2:1"), e.getMessage());
  }

  @Test
  void syntaxErrorNamesFileAndLine() {
    Rig rig = rig("");
    tpl("s.j2", "a\nb\n{% if db.name %}\nunclosed\n");
    TestrigException e = renderFails(rig);
    assertTrue(e.getMessage().startsWith("t/s.j2:"), e.getMessage());
  }

  @Test
  void badExpressionNamesLine() {
    Rig rig = rig("");
    tpl("s.j2", "ok\n{{ db.name + }}\n");
    TestrigException e = renderFails(rig);
    assertTrue(e.getMessage().startsWith("t/s.j2:2: "), e.getMessage());
  }

  @Test
  void unknownFilterFails() {
    Rig rig = rig("");
    tpl("f.j2", "{{ db.name | nosuchfilter }}");
    assertTrue(renderFails(rig).getMessage().contains("nosuchfilter"));
  }

  @Test
  void includeOutsideTheRootFails() {
    Rig rig = rig("");
    write(tmp.resolve("proj/secret.txt"), "outside");
    tpl("i.j2", "x\n{% include '../secret.txt' %}");
    TestrigException e = renderFails(rig);
    assertTrue(e.getMessage().startsWith("t/i.j2:2: "), e.getMessage());
    assertTrue(e.getMessage().contains("outside the template root"), e.getMessage());
  }

  @Test
  void includeOfAbsolutePathFails() {
    Rig rig = rig("");
    tpl("i.j2", "{% include '/etc/hostname' %}");
    assertTrue(renderFails(rig).getMessage().contains("outside the template root"));
  }

  @Test
  void includeThroughSymlinkOutOfTheRootFails() throws IOException {
    Rig rig = rig("");
    write(tmp.resolve("proj/secret.txt"), "outside");
    Files.createDirectories(tmp.resolve("proj/t"));
    Files.createSymbolicLink(tmp.resolve("proj/t/link.txt"), tmp.resolve("proj/secret.txt"));
    tpl("i.j2", "{% include 'link.txt' %}");
    assertTrue(renderFails(rig).getMessage().contains("symbolic link"));
  }

  @Test
  void importOutsideTheRootFails() {
    Rig rig = rig("");
    write(tmp.resolve("proj/m.j2"), "{% macro x() %}m{% endmacro %}");
    tpl("i.j2", "{% from '../m.j2' import x %}{{ x() }}");
    assertTrue(renderFails(rig).getMessage().contains("outside the template root"));
  }

  @Test
  void failureLeavesNoPartialOutputAndKeepsOldFiles() throws IOException {
    Rig rig = rig("");
    tpl("a.j2", "A {{ db.name }}");
    Out first = render(rig);
    assertEquals("A shop\n", first.read("a"));
    tpl("a.j2", "A2 {{ db.name }}");
    tpl("b.j2", "B {{ password.b }}");
    tpl("z.j2", "{{ missing }}");
    renderFails(rig);
    assertEquals("A shop\n", first.read("a"));
    assertFalse(Files.exists(first.dir.path().resolve("b")));
    try (Stream<Path> s = Files.list(first.dir.path())) {
      assertEquals(
          List.of(".testrig-run", "a"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void nonUtf8TemplateIsBadInput() throws IOException {
    Rig rig = rig("");
    Files.createDirectories(tmp.resolve("proj/t"));
    Files.write(tmp.resolve("proj/t/bin.j2"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    assertTrue(renderFails(rig).getMessage().contains("UTF-8"));
  }

  @Test
  void missingSourceDirectoryIsBadInput() {
    write(tmp.resolve("proj/testrig.yml"), "templates:\n  - from: nowhere\n");
    TestrigException e = renderFails(Fixtures.rig(tmp.resolve("proj/testrig.yml")));
    assertTrue(e.getMessage().contains("templates[0].from"), e.getMessage());
  }

  @Test
  void twoSourcesRenderingToOneOutputIsBadInput() {
    Rig rig = rig("");
    tpl("x.j2", "1");
    tpl("x", "2");
    assertTrue(renderFails(rig).getMessage().contains("both render to"));
  }

  // ---- sandbox ----

  @Test
  void noGetClassOnStrings() {
    Rig rig = rig("");
    tpl("g.j2", "{{ db.name.getClass() }}");
    renderFails(rig);
  }

  @Test
  void noGetClassOnSecrets() {
    Rig rig = rig("");
    tpl("g.j2", "{{ password.a.getClass() }}");
    renderFails(rig);
  }

  @Test
  void noArbitraryStringMethods() {
    Rig rig = rig("");
    tpl("g.j2", "{{ db.name.getBytes() }}");
    assertTrue(renderFails(rig).getMessage().contains("not available"));
  }

  @Test
  void noMapMutation() {
    Rig rig = rig("");
    tpl("g.j2", "{{ db.put('name', 'x') }}");
    renderFails(rig);
  }

  @Test
  void noInterpreterEscape() {
    Rig rig = rig("");
    tpl("g.j2", "{{ ____int3rpr3t3r____.context }}");
    renderFails(rig);
  }

  @Test
  void noBeanPropertiesOfNonDataObjects() {
    Rig rig = rig("");
    tpl("g.j2", "{{ db.name.bytes }}");
    renderFails(rig);
  }

  @Test
  void plainDataMethodsStillWork() throws IOException {
    Rig rig = rig("");
    tpl(
        "d.j2",
        "{{ db.keys() | list | join(',') }} {{ db.get('name') }} {{ 'a,b'.split(',') | length }}");
    assertEquals("name,port shop 2\n", render(rig).read("d"));
  }

  @Test
  void parallelWorkersGiveEachTemplateItsOwnScopeAndShareSecrets() throws IOException {
    Rig rig = rig("");
    int n = 120;
    for (int i = 0; i < n; i++) {
      // Each template sets a variable and asks whether the previous template's one leaked in.
      tpl(
          String.format("f%03d.j2", i),
          "{% set mine = "
              + i
              + " %}{{ mine }} {{ prev"
              + (i + 999)
              + " is defined }} "
              + "{{ db.name }} {{ password.s"
              + (i % 7)
              + " }}{% set prev"
              + (i + 1000)
              + " = 1 %}");
    }
    tpl("plain.j2", "no secret here");
    RunDir dir = RunDir.resolve(rig, tmp.resolve("run"));
    SecretStore store = SecretStore.open(rig, dir, null, new Redactor());
    Map<String, Object> values = Values.resolve(rig, store, Map.of(), Map.of(), Map.of());
    RenderResult r = TemplateRenderer.render(rig, dir, store, values, Map.of(), 4);
    assertEquals(n + 1, r.files().size());
    for (int i = 0; i < n; i++) {
      String name = String.format("f%03d", i);
      assertEquals(
          i + " false shop " + store.secret("password.s" + (i % 7)) + "\n",
          Files.readString(dir.path().resolve(name)),
          name);
      assertEquals("rw-------", mode(dir.path().resolve(name)), name);
      // Results keep source order whatever thread rendered them.
      assertEquals(Path.of(name), r.files().get(i).relative());
    }
    assertEquals(7, store.entries().size());
    assertFalse(r.files().get(n).secret());
  }

  @Test
  void withParallelWorkersTheFirstFailingTemplateInSourceOrderIsReported() {
    Rig rig = rig("");
    for (int i = 0; i < 80; i++) {
      tpl(String.format("f%03d.j2", i), "{{ db.name }} {{ password.p" + i + " }}");
    }
    tpl("f030.j2", "ok\n{{ first_missing }}");
    tpl("f031.j2", "{{ second_missing }}");
    tpl("f079.j2", "{{ third_missing }}");
    for (int attempt = 0; attempt < 5; attempt++) {
      RunDir dir = RunDir.resolve(rig, tmp.resolve("run"));
      SecretStore store = SecretStore.open(rig, dir, null, new Redactor());
      Map<String, Object> values = Values.resolve(rig, store, Map.of(), Map.of(), Map.of());
      TestrigException e =
          assertThrows(
              TestrigException.class,
              () -> TemplateRenderer.render(rig, dir, store, values, Map.of(), 3));
      assertEquals("t/f030.j2:2: undefined: 'first_missing'", e.getMessage());
      assertFalse(Files.exists(dir.path().resolve("f000")));
    }
  }

  @Test
  void undefinedNamesInsideExpressionsFailNamingTemplateLineAndName() {
    // Issue 7 item 12: jinjava only checked whether the whole expression was null.
    Rig rig = rig("");
    Map<String, String> cases =
        Map.of(
            "{{ 1 + nope }}", "nope",
            "{{ nope ~ 'x' }}", "nope",
            "{% if nope == 1 %}y{% endif %}", "nope",
            "{{ [nope] }}", "nope",
            "{{ db.name ~ missing_too | upper }}", "missing_too",
            "{% for x in [1] %}{{ x + gone }}{% endfor %}", "gone",
            "{{ app.no_such_value }}", "app.no_such_value",
            "{{ 1 + app.port }}", "app");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      tpl("u.j2", "line one\n" + c.getKey());
      TestrigException e = renderFails(rig);
      assertEquals("t/u.j2:2: undefined: '" + c.getValue() + "'", e.getMessage(), c.getKey());
    }
  }

  @Test
  void definedTestsAndDefaultStillSeeUndefinedNames() throws IOException {
    Rig rig = rig("");
    tpl(
        "d.j2",
        "{{ nope is defined }} {{ nope is undefined }} {{ nope is not defined }}"
            + " {{ nope | default('x') }} {% if nope is defined and nope > 1 %}y{% endif %}"
            + " {{ db.name is defined }} {% set n = none %}{{ n is none }} {{ [n] }}");
    assertEquals("false true true x  true true [null]\n", render(rig).read("d"));
  }

  private TestrigException renderFails(Rig rig, TemplateLimits limits) {
    RunDir dir = RunDir.resolve(rig, tmp.resolve("run"));
    SecretStore store = SecretStore.open(rig, dir, null, new Redactor());
    Map<String, Object> values = Values.resolve(rig, store, Map.of(), Map.of(), Map.of());
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> TemplateRenderer.render(rig, dir, store, values, Map.of(), 1, limits));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void deepNestingAndLongFilterChainsAreRefusedBeforeJinjavaRecurses() throws IOException {
    // Issue 7 items 5 and 14: each of these overflowed the stack (a Java Error, exit 1).
    Rig rig = rig("");
    Map<String, String> cases =
        Map.of(
            "{% if true %}".repeat(3000) + "{% endif %}".repeat(3000),
            "t/u.j2:2: block tags nested deeper than 100 levels",
            "{{ " + "[".repeat(20_000) + "]".repeat(20_000) + " }}",
            "t/u.j2:2: brackets nested deeper than 100 levels",
            "{{ " + "(".repeat(20_000) + "1" + ")".repeat(20_000) + " }}",
            "t/u.j2:2: brackets nested deeper than 100 levels",
            "{{ db.name" + "|lower".repeat(50_000) + " }}",
            "t/u.j2:2: more than 100 filters in one expression");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      tpl("u.j2", "ok\n" + c.getKey());
      assertEquals(c.getValue(), renderFails(rig).getMessage());
    }
    // Within the limits, and brackets inside strings do not count.
    tpl(
        "u.j2",
        "{% if true %}".repeat(100)
            + "{{ "
            + "(".repeat(100)
            + "1"
            + ")".repeat(100)
            + " }}"
            + "{% endif %}".repeat(100)
            + "{{ '((((((' ~ db.name"
            + "|lower".repeat(100)
            + " }}");
    assertEquals("1((((((shop\n", render(rig).read("u"));
  }

  @Test
  void aStackOverflowBeyondTheNestingCheckIsAOneLineErrorNamingTheTemplate() {
    Rig rig = rig("");
    tpl("u.j2", "{% if true %}".repeat(100_000) + "{% endif %}".repeat(100_000));
    TemplateLimits unchecked =
        new TemplateLimits(Integer.MAX_VALUE, 100, 1000, 1 << 20, Duration.ofSeconds(60));
    assertEquals(
        "t/u.j2: nested too deeply to render (stack overflow)",
        renderFails(rig, unchecked).getMessage());
  }

  @Test
  void aDoubleIncludeChainStopsAtTheIncludeLimit() {
    // Issue 7 item 14: 30 levels, each including the next twice, is 2^30 renders.
    Rig rig = rig("");
    for (int k = 0; k < 30; k++) {
      tpl(
          String.format("inc/i%02d.txt", k),
          String.format(
              "{%% include 'inc/i%02d.txt' %%}{%% include 'inc/i%02d.txt' %%}", k + 1, k + 1));
    }
    tpl("inc/i30.txt", "x");
    tpl("u.j2", "{% include 'inc/i00.txt' %}");
    long start = System.nanoTime();
    assertEquals(
        "t/u.j2: more than 1000 include/import/extends loads in one template",
        renderFails(rig).getMessage());
    assertTrue(System.nanoTime() - start < 30_000_000_000L);
  }

  @Test
  void outputSizeAndRenderTimeAreBounded() throws InterruptedException {
    Rig rig = rig("");
    tpl("u.j2", "{% for a in range(100) %}{{ db.name }}{% endfor %}");
    TemplateLimits small = new TemplateLimits(100, 100, 1000, 100, Duration.ofSeconds(60));
    assertEquals(
        "t/u.j2: output larger than the limit of 100 bytes", renderFails(rig, small).getMessage());

    TemplateLimits quick = new TemplateLimits(100, 100, 1000, 1 << 24, Duration.ofMillis(300));
    // Lookups in the loop body check the clock ...
    tpl(
        "u.j2",
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
            + "{{ db.port }}{% endfor %}{% endfor %}{% endfor %}");
    assertEquals(
        "t/u.j2: render time limit exceeded (300 ms)", renderFails(rig, quick).getMessage());
    // ... an empty body looks nothing up: each loop checks the clock as it starts.
    tpl(
        "u.j2",
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
            + "{% endfor %}{% endfor %}{% endfor %}");
    assertEquals(
        "t/u.j2: render time limit exceeded (300 ms)", renderFails(rig, quick).getMessage());
    for (int i = 0; i < 100 && renderThreadsAlive(); i++) {
      Thread.sleep(50);
    }
    assertFalse(renderThreadsAlive(), () -> "no render worker keeps running: " + renderThreads());
  }

  private static boolean renderThreadsAlive() {
    return !renderThreads().isEmpty();
  }

  private static String renderThreads() {
    StringBuilder sb = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (t, stack) -> {
              if (t.isAlive() && t.getName().startsWith("testrig-render-")) {
                sb.append(t.getName()).append(' ').append(t.getState());
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                  sb.append(" <- ").append(stack[i]);
                }
              }
            });
    return sb.toString();
  }

  @Test
  void templateRootsOutsideTheRigDirectoryNeedOutsideRig() throws IOException {
    // Issue 7 item 3: `from: /etc` copied /etc/shadow into the run directory.
    write(tmp.resolve("elsewhere/secret.txt"), "not for the rig\n");
    Path rigFile = tmp.resolve("proj/testrig.yml");
    for (String from :
        List.of(tmp.resolve("elsewhere").toString(), "../elsewhere", "t/../../elsewhere")) {
      write(rigFile, "templates:\n  - from: \"" + from + "\"\n");
      TestrigException e = renderFails(Fixtures.rig(rigFile));
      assertTrue(
          e.getMessage().startsWith(rigFile + ": templates[0].from: '" + from + "' lies outside"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("set outside_rig: true on this entry to allow it"));
    }
    // A root that is a link leading out counts as outside too.
    Files.createSymbolicLink(tmp.resolve("proj/linked"), tmp.resolve("elsewhere"));
    write(rigFile, "templates:\n  - from: linked\n");
    assertTrue(renderFails(Fixtures.rig(rigFile)).getMessage().contains("lies outside"));
    // The explicit opt-in works.
    write(rigFile, "templates:\n  - {from: ../elsewhere, outside_rig: true}\n");
    assertEquals("not for the rig\n", render(Fixtures.rig(rigFile)).read("secret.txt"));
  }

  @Test
  void symlinkedSourcesLeavingTheTemplateRootAreRefused() throws IOException {
    write(tmp.resolve("elsewhere/shadow"), "root:x:0\n");
    tpl("ok.j2", "{{ db.name }}");
    Files.createSymbolicLink(tmp.resolve("proj/t/shadow"), tmp.resolve("elsewhere/shadow"));
    Rig rig = rig("");
    TestrigException e = renderFails(rig);
    assertEquals(
        rig.file()
            + ": templates[0].from: 't/shadow' is a symbolic link that leads outside the template"
            + " root; refusing",
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("run/shadow")));
    // Also with outside_rig: the opt-in is about the root, not about links out of it.
    write(tmp.resolve("proj/testrig.yml"), "templates:\n  - {from: t, outside_rig: true}\n");
    assertTrue(
        renderFails(Fixtures.rig(tmp.resolve("proj/testrig.yml")))
            .getMessage()
            .contains("symbolic link"));
    // A link that stays inside the root is fine.
    Files.delete(tmp.resolve("proj/t/shadow"));
    Files.createSymbolicLink(tmp.resolve("proj/t/same.j2"), tmp.resolve("proj/t/ok.j2"));
    assertEquals("shop\n", render(rig).read("same"));
  }
}
