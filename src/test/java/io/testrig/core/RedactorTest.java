package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
}
