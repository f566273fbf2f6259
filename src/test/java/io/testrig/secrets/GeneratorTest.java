package io.testrig.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.testrig.rig.SecretsSpec.GeneratorSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  private static final int SAMPLES = 2_000;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * GitLab's masked-variable rule: one line, at least 8 characters, only the Base64 alphabet (RFC
   * 4648) plus @ : . ~ (https://gitlab.com/gitlab-org/gitlab/-/issues/367220).
   */
  private static final Pattern MASKABLE = Pattern.compile("[A-Za-z0-9+/=@:.~]{8,}");

  /** A plain YAML scalar reads back as the same string: never a number, bool, null or date. */
  private static void assertYamlSafe(String v) throws Exception {
    Map<?, ?> m = YAML.readValue("k: " + v + "\n", Map.class);
    assertEquals(v, m.get("k"), "YAML reads " + v + " as " + m.get("k"));
  }

  private static Set<String> sample(Generator g) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < SAMPLES; i++) {
      out.add(g.generate());
    }
    assertEquals(SAMPLES, out.size(), "values repeat");
    return out;
  }

  @Test
  void passwordIsAlphanumericStartsWithLetterHasEveryClassAndIsSafeEverywhere() throws Exception {
    Set<Character> seen = new HashSet<>();
    for (String v : sample(Generator.builtin("password"))) {
      assertEquals(32, v.length());
      assertTrue(v.matches("[A-Za-z][A-Za-z0-9]{31}"), v);
      assertTrue(v.matches(".*[0-9].*") && v.matches(".*[a-z].*") && v.matches(".*[A-Z].*"), v);
      assertTrue(MASKABLE.matcher(v).matches(), v);
      // URL, shell word, JSON, SQL literal, .ini: nothing to escape in any of them.
      assertEquals(v, URLEncoder.encode(v, StandardCharsets.UTF_8));
      assertTrue(v.chars().noneMatch(c -> "'\"\\$`;#=&%!*?[]{}() \t\n".indexOf(c) >= 0), v);
      assertYamlSafe(v);
      v.chars().forEach(c -> seen.add((char) c));
    }
    assertEquals(62, seen.size(), "the whole alphabet is used");
  }

  @Test
  void passwordLooksNothingLikeAYamlKeywordEvenWhenShort() throws Exception {
    Generator g = Generator.of(new GeneratorSpec("password", 8, null));
    for (String v : sample(g)) {
      assertEquals(8, v.length());
      assertTrue(MASKABLE.matcher(v).matches(), v);
      assertYamlSafe(v);
    }
  }

  @Test
  void tokenIsUrlSafeBase64OfLengthBytes() throws Exception {
    for (String v : sample(Generator.builtin("token"))) {
      assertEquals(43, v.length(), v); // 32 bytes, no padding
      assertTrue(v.matches("[A-Za-z][A-Za-z0-9_-]{42}"), v);
      assertEquals(v, URLEncoder.encode(v, StandardCharsets.UTF_8));
      assertYamlSafe(v);
    }
  }

  @Test
  void hexIsLowercaseStartingWithALetter() throws Exception {
    for (String v : sample(Generator.builtin("hex"))) {
      assertTrue(v.matches("[a-f][0-9a-f]{63}"), v);
      assertTrue(MASKABLE.matcher(v).matches(), v);
      assertYamlSafe(v);
    }
  }

  @Test
  void uuidIsARandomVersion4Uuid() throws Exception {
    for (String v : sample(Generator.builtin("uuid"))) {
      assertEquals(4, UUID.fromString(v).version());
      assertEquals(v, UUID.fromString(v).toString());
      assertYamlSafe(v);
    }
  }

  @Test
  void charsUsesOnlyTheGivenAlphabetAndLength() {
    Generator g = Generator.of(new GeneratorSpec("chars", 24, "xyz-"));
    Set<Character> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String v = g.generate();
      assertTrue(v.matches("[xyz-]{24}"), v);
      v.chars().forEach(c -> seen.add((char) c));
    }
    assertEquals(4, seen.size());
  }

  @Test
  void userGeneratorDefaultsToPasswordKindAndTakesLength() {
    Generator g = Generator.of(new GeneratorSpec(null, 12, null));
    String v = g.generate();
    assertTrue(v.matches("[A-Za-z][A-Za-z0-9]{11}"), v);
    Generator hex = Generator.of(new GeneratorSpec("hex", 16, null));
    assertTrue(hex.generate().matches("[a-f][0-9a-f]{15}"));
  }
}
