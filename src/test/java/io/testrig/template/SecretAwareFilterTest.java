package io.testrig.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Base64EncodeFilter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretAwareFilterTest {
  /** The b64encode shortcut must give what jinjava's own filter gives, for every kind of string. */
  @Test
  void b64encodeShortcutMatchesJinjava() {
    Base64EncodeFilter jinjava = new Base64EncodeFilter();
    SecretAwareFilter wrapped = new SecretAwareFilter(jinjava);
    JinjavaInterpreter interpreter = new Jinjava().newInterpreter();
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      for (String s :
          List.of(
              "",
              "Ab3xYz9QrStUvWx012345678901234AB",
              "user:pa ss@host/~x.y",
              "it's",
              "say \"hi\"",
              "back\\slash",
              "tab\there\nnewline",
              "pässwörd ✓",
              "{{ not.rendered }}")) {
        Object expected = jinjava.filter(s, interpreter);
        assertEquals(expected, wrapped.filter(s, interpreter), s);
        assertEquals(expected, wrapped.filter(s, interpreter, new Object[0], Map.of()), s);
      }
      // A charset argument always goes to jinjava.
      assertEquals(
          jinjava.filter("abc", interpreter, "UTF-16"),
          wrapped.filter("abc", interpreter, "UTF-16"));
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }
}
