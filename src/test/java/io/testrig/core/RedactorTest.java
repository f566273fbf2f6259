package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String SECRET = "s3cr+t/\"pa ss\"";

  private Redactor redactor() {
    Redactor r = new Redactor();
    r.add("password.db.app", SECRET);
    return r;
  }

  @Test
  void masksValueAndEncodedForms() {
    Redactor r = redactor();
    String b64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    String url = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
    String json = "s3cr+t\\/\\\"pa ss\\\"";
    String text = "raw=" + SECRET + " b64=" + b64 + " url=" + url + " json=" + json;
    String out = r.redact(text);
    assertEquals(
        "raw=[MASKED password.db.app] b64=[MASKED password.db.app] url=[MASKED password.db.app]"
            + " json=[MASKED password.db.app]",
        out);
  }

  @Test
  void longestSecretWinsWhenOneContainsAnother() {
    Redactor r = new Redactor();
    r.add("a", "abcdefgh");
    r.add("b", "abcdefgh-and-more");
    assertEquals("x [MASKED b] y [MASKED a]", r.redact("x abcdefgh-and-more y abcdefgh"));
  }

  @Test
  void shortValuesAreNotTreatedAsSecrets() {
    Redactor r = new Redactor();
    r.add("flag", "true");
    assertTrue(r.isEmpty());
    assertEquals("true", r.redact("true"));
  }

  @Test
  void writerMasksASecretSplitAcrossWrites() throws Exception {
    Redactor r = redactor();
    StringWriter sink = new StringWriter();
    try (RedactingWriter w = new RedactingWriter(sink, r)) {
      w.write("before " + SECRET.substring(0, 4));
      w.write(SECRET.substring(4) + " after\nnext");
    }
    assertEquals("before [MASKED password.db.app] after\nnext", sink.toString());
    assertFalse(sink.toString().contains(SECRET));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void masksTheHttpBasicFormAndTheSecretInsideAnyLongerBase64Text() {
    // Issue 7 item 4: base64("app:" + password) appeared in clear in a suite's output.log.
    String pw = "Zq9kLm2Pw8Xy4Rt6Uv1Nb3Cd";
    Redactor r = new Redactor();
    r.add("password.db.app", pw);
    String basic = "Authorization: Basic " + b64("app:" + pw);
    // "YXBwOl" is "app:" plus 4 bits of the secret; "A==" its last bits and the padding.
    assertEquals("Authorization: Basic YXBwOl[MASKED password.db.app]A==", r.redact(basic));
    // Every alignment, standard and URL-safe alphabets, with text before and after.
    for (int before = 0; before < 6; before++) {
      for (int after = 0; after < 4; after++) {
        String plain = "x".repeat(before) + pw + "y".repeat(after);
        String std = b64(plain);
        String url = std.replace('+', '-').replace('/', '_');
        for (String enc : List.of(std, url, "header " + std + " trailer")) {
          String out = r.redact(enc);
          assertTrue(out.contains("[MASKED password.db.app]"), before + "/" + after + ": " + out);
          // At most two characters on each side of the marker carry bits of the secret.
          String stripped = out.replace("[MASKED password.db.app]", "");
          assertTrue(enc.length() - stripped.length() >= 4 * pw.length() / 3 - 2, out);
        }
      }
    }
  }

  @Test
  void masksHexUrlAndJsonForms() {
    String pw = "Pa/ss w\"rd9";
    Redactor r = new Redactor();
    r.add("password.x", pw);
    String hex = HexFormat.of().formatHex(pw.getBytes(StandardCharsets.UTF_8));
    String m = "[MASKED password.x]";
    assertEquals("h=" + m + ";", r.redact("h=" + hex + ";"));
    assertEquals("H=" + m + ";", r.redact("H=" + hex.toUpperCase() + ";"));
    assertEquals("u=" + m, r.redact("u=Pa%2Fss+w%22rd9"));
    assertEquals("u=" + m, r.redact("u=Pa%2Fss%20w%22rd9"));
    assertEquals("u=" + m, r.redact("u=Pa%2fss%20w%22rd9"));
    assertEquals("{\"p\":\"" + m + "\"}", r.redact("{\"p\":\"Pa/ss w\\\"rd9\"}"));
    assertEquals("{\"p\":\"" + m + "\"}", r.redact("{\"p\":\"Pa\\/ss w\\\"rd9\"}"));
  }

  @Test
  void manySecretsAndTextWithoutThemPassUnchanged() {
    Redactor r = new Redactor();
    for (int i = 0; i < 200; i++) {
      r.add("password.p" + i, "Secret" + i + "Value" + (i * 7919));
    }
    String text = "2026-01-01T00:00:00Z INFO nothing to see here, Secret is a word; Value too\n";
    assertTrue(text == r.redact(text), "unchanged text is returned as is");
    assertEquals("a [MASKED password.p199] b", r.redact("a Secret199Value" + (199 * 7919) + " b"));
  }
}
