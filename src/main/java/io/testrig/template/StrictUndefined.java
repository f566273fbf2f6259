package io.testrig.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Every undefined name in any expression is an error, as with Jinja2's StrictUndefined
 * (https://jinja.palletsprojects.com/en/3.1.x/api/#jinja2.StrictUndefined).
 *
 * <p>Jinjava 2.8.4's {@code failOnUnknownTokens} only checks the value of a whole expression: it
 * throws when {@code {{ nope }}} is null, but {@code {{ 1 + nope }}}, {@code {{ nope ~ 'x' }}},
 * {@code {% if nope == 1 %}} and {@code {{ [nope] }}} evaluate to something non-null and pass.
 * Every top-level name, however, goes through {@code JinjavaInterpreter.retraceVariable}, which
 * asks the context's dynamic variable resolver when the name has no value. testrig installs {@link
 * #resolver} there: it records the name and its line, and the render fails when anything was
 * recorded. The two things that may legitimately see an undefined name, the {@code defined} /
 * {@code undefined} tests and the {@code default} filter, take back the record they consumed
 * ({@link #forgive()}): their argument is evaluated right before they run, so it is the latest.
 *
 * <p>One instance per render thread ({@link #current()}), reset for every template.
 */
final class StrictUndefined {
  private static final ThreadLocal<StrictUndefined> CURRENT =
      ThreadLocal.withInitial(StrictUndefined::new);

  /** An undefined name and the template line where it was used. */
  record Use(String name, int line) {}

  /**
   * Jinja's none literal: jinjava has no such keyword, {@code none} is just a name without a value
   * there, so it must not count as undefined.
   */
  private static final java.util.Set<String> NONE = java.util.Set.of("none", "None");

  private final Deque<Use> uses = new ArrayDeque<>();

  static StrictUndefined current() {
    return CURRENT.get();
  }

  void reset() {
    uses.clear();
  }

  /** The dynamic variable resolver: called only for names without a value; records them. */
  Object resolve(String name) {
    TemplateLimits.checkClock();
    JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
    if (NONE.contains(name)
        || (interpreter != null && definedAsNull(interpreter.getContext(), name))) {
      return null; // {% set x = none %}: defined, its value is none
    }
    uses.addLast(new Use(name, interpreter == null ? 0 : interpreter.getLineNumber()));
    return null;
  }

  private static boolean definedAsNull(Context context, String name) {
    for (Context c = context; c != null; c = c.getParent()) {
      if (c.getScope().containsKey(name)) {
        return true;
      }
    }
    return false;
  }

  /** A {@code defined} test or {@code default} filter consumed the latest undefined name. */
  void forgive() {
    uses.pollLast();
  }

  /** The first undefined name used in the template, or null. */
  Use first() {
    return uses.peekFirst();
  }
}
