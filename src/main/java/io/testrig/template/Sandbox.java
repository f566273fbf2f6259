package io.testrig.template;

import com.hubspot.jinjava.el.TypeConvertingMapELResolver;
import com.hubspot.jinjava.el.ext.JinjavaBeanELResolver;
import com.hubspot.jinjava.el.ext.JinjavaListELResolver;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import com.hubspot.jinjava.util.ForLoop;
import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.ArrayELResolver;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.MethodNotFoundException;
import jinjava.javax.el.PropertyNotFoundException;
import jinjava.javax.el.PropertyNotWritableException;

/**
 * The expression resolver of testrig templates: plain data only. Jinjava 2.8.4's default resolver
 * ({@code JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY}) ends with a bean resolver that
 * calls any public getter or method of any object, minus a small deny list (getClass, forName...).
 * testrig replaces it with an allow list: map keys, list and array items, secret nodes, the
 * properties of jinjava's own loop and value objects, a few read-only methods of dicts, lists and
 * strings, and the calls jinjava itself makes to filters and tests. Everything else is "unknown
 * method", which fails the render.
 */
final class Sandbox {
  private Sandbox() {}

  /** Read-only Python-style methods of dicts and lists ({@code d.items()}, {@code l.index(x)}). */
  static final Set<String> COLLECTION_METHODS =
      Set.of("items", "keys", "values", "get", "index", "count", "containsKey", "contains", "size");

  /** Pure String methods: no reflection, no I/O, nothing that returns a non-data object. */
  static final Set<String> STRING_METHODS =
      Set.of(
          "split",
          "startsWith",
          "endsWith",
          "contains",
          "toUpperCase",
          "toLowerCase",
          "trim",
          "strip",
          "replace",
          "length",
          "isEmpty",
          "indexOf",
          "substring");

  /**
   * {@code [A-Za-z0-9_-]+}, as {@code SecretStore} requires of a path segment; checked by hand
   * because this runs for every secret reference and {@code String.matches} compiles the pattern on
   * each call.
   */
  static boolean isSecretName(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static ELResolver resolver() {
    CompositeELResolver r = new CompositeELResolver();
    r.add(new SecretNodeResolver());
    r.add(new ArrayELResolver(true));
    r.add(new JinjavaListELResolver(true));
    r.add(new StrictMapResolver());
    r.add(new AllowListBeanResolver());
    return r;
  }

  /** {@code password.db.app}: attribute or item access on a node gives the deeper node. */
  static final class SecretNodeResolver extends ELResolver {
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      if (!(base instanceof SecretNode node)) {
        return null;
      }
      String key = String.valueOf(property);
      if (!isSecretName(key)) {
        throw new PropertyNotFoundException(
            "'" + key + "' is not a valid secret name under " + node.path());
      }
      context.setPropertyResolved(true);
      return node.child(key);
    }

    @Override
    public Object invoke(
        ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
      if (base instanceof SecretNode node) {
        throw new MethodNotFoundException(
            "secrets have no methods: '" + method + "' on " + node.path() + " (use a filter)");
      }
      return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
      return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
      if (base instanceof SecretNode) {
        throw new PropertyNotWritableException("secrets are read-only in templates");
      }
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
      return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
      return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
      return base instanceof SecretNode ? String.class : null;
    }
  }

  /**
   * Map access that treats a missing key as an error (StrictUndefined), where jinjava's returns
   * null and renders an empty string. Method lookups ({@code d.items()}) probe keys first; jinjava
   * ignores this error for them.
   */
  static final class StrictMapResolver extends TypeConvertingMapELResolver {
    StrictMapResolver() {
      super(true);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      TemplateLimits.checkClock();
      if (base instanceof Map<?, ?> m
          && property != null
          && !m.containsKey(property)
          && !m.containsKey(String.valueOf(property))) {
        throw new PropertyNotFoundException("undefined key '" + property + "'");
      }
      return super.getValue(context, base, property);
    }
  }

  /** Bean access only where jinjava needs it; see the class comment. */
  static final class AllowListBeanResolver extends JinjavaBeanELResolver {
    AllowListBeanResolver() {
      super(true);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      if (base == null) {
        return null;
      }
      if (!(base instanceof ForLoop)) {
        throw new PropertyNotFoundException(
            "undefined attribute '" + property + "' (" + kind(base) + " has no attributes)");
      }
      return super.getValue(context, base, property);
    }

    @Override
    public Object invoke(
        ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
      if (base == null) {
        return null;
      }
      String name = String.valueOf(method);
      boolean allowed =
          (base instanceof Filter && name.equals("filter"))
              || (base instanceof ExpTest
                  && (name.equals("evaluate") || name.equals("evaluateNegated")))
              || ((base instanceof PyMap || base instanceof PyList)
                  && COLLECTION_METHODS.contains(name))
              || (base instanceof String && STRING_METHODS.contains(name));
      if (!allowed) {
        throw new MethodNotFoundException(
            "method '" + name + "' is not available on " + kind(base) + " in testrig templates");
      }
      return super.invoke(context, base, method, types, params);
    }

    private static String kind(Object base) {
      if (base instanceof String) {
        return "a string";
      }
      if (base instanceof Number) {
        return "a number";
      }
      if (base instanceof Boolean) {
        return "a boolean";
      }
      return "this value";
    }
  }
}
