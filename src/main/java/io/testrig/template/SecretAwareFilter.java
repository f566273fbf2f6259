package io.testrig.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wraps a built-in filter so that a {@link SecretNode} reaches it as the secret's string: without
 * this, filters that test {@code instanceof String} ({@code upper}, {@code b64encode}, {@code
 * urlencode}...) would see an unknown object.
 */
final class SecretAwareFilter implements Filter {
  private final Filter delegate;

  SecretAwareFilter(Filter delegate) {
    this.delegate = delegate;
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    forgiveUndefined(var);
    Object v = unwrap(var);
    if (args.length == 0 && plainB64(v)) {
      return b64(v);
    }
    return delegate.filter(v, interpreter, args);
  }

  @Override
  public Object filter(
      Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
    forgiveUndefined(var);
    if (args.length == 0 && kwargs.isEmpty()) {
      Object v = unwrap(var);
      if (plainB64(v)) {
        return b64(v);
      }
    }
    Object[] a = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      a[i] = unwrap(args[i]);
    }
    Map<String, Object> kw = new LinkedHashMap<>();
    kwargs.forEach((k, v) -> kw.put(k, unwrap(v)));
    return delegate.filter(unwrap(var), interpreter, a, kw);
  }

  @Override
  public Object filter(SafeString var, JinjavaInterpreter interpreter, String... args) {
    return delegate.filter(var, interpreter, args);
  }

  @Override
  public boolean preserveSafeString() {
    return delegate.preserveSafeString();
  }

  /**
   * {@code b64encode} of a plain string, without jinjava's detour: its Base64EncodeFilter first
   * turns the value into a "pyish" string through a Jackson writer and back (a quarter of the time
   * of a template like bench/render.sh's in a fresh JVM). For printable ASCII without quotes or
   * backslashes that round trip is the identity, so the result is the same bytes (UTF-8, jinjava's
   * default charset); anything else, or a charset argument, goes to jinjava (SecretAwareFilterTest
   * compares both).
   */
  private boolean plainB64(Object v) {
    if (!(v instanceof String s) || !"b64encode".equals(delegate.getName())) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '\'' || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static String b64(Object v) {
    return Base64.getEncoder().encodeToString(((String) v).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code default} exists to replace an undefined value: see {@link StrictUndefined}. */
  private void forgiveUndefined(Object var) {
    // Every filter call is a point where a long render checks its deadline.
    TemplateLimits.checkClock();
    if (var == null && ("default".equals(getName()) || "d".equals(getName()))) {
      StrictUndefined.current().forgive();
    }
  }

  static Object unwrap(Object o) {
    return o instanceof SecretNode n ? n.value() : o;
  }
}
