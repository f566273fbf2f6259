package io.testrig.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;
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
    return delegate.filter(unwrap(var), interpreter, args);
  }

  @Override
  public Object filter(
      Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
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

  static Object unwrap(Object o) {
    return o instanceof SecretNode n ? n.value() : o;
  }
}
