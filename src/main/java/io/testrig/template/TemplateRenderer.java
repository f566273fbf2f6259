package io.testrig.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.InvalidArgumentException;
import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.lib.tag.IfTag;
import com.hubspot.jinjava.tree.TagNode;
import io.testrig.core.FileTrees;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import io.testrig.rig.TemplateSpec;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Renders a rig's {@code templates} into the run directory with Jinjava 2.8.4.
 *
 * <p>Strict (like Jinja2's StrictUndefined): an undefined variable or key, an unknown filter or
 * tag, a syntax error, a disallowed method or an include outside the template root fails the whole
 * render with {@code <template>:<line>: <what>} (exit 2). Everything is rendered into a temporary
 * directory inside the run directory first and moved into place only when every template succeeded,
 * so a failure leaves no partial output.
 *
 * <p>Sandboxed: values are never re-rendered (nested interpretation off), includes load only from
 * the template root ({@link RootedLocator}), and expressions reach plain data only ({@link
 * Sandbox}).
 */
public final class TemplateRenderer {
  private static final Set<PosixFilePermission> OWNER_RW =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private TemplateRenderer() {}

  /**
   * Renders every {@code templates} entry of {@code rig} into {@code dir}.
   *
   * @param store secrets: each generator namespace is a lazy template variable
   * @param values merged values ({@link Values#resolve}); top-level template variables
   * @param extraContext more top-level variables (e.g. {@code certs} from the PKI); wins over
   *     values, must not reuse a generator name
   */
  public static io.testrig.template.RenderResult render(
      Rig rig,
      RunDir dir,
      SecretStore store,
      Map<String, Object> values,
      Map<String, Object> extraContext) {
    return render(rig, dir, store, values, extraContext, 0, TemplateLimits.DEFAULT);
  }

  /** As {@link #render}, with {@code threads} workers (0: {@link #threads}'s choice). */
  static io.testrig.template.RenderResult render(
      Rig rig,
      RunDir dir,
      SecretStore store,
      Map<String, Object> values,
      Map<String, Object> extraContext,
      int threads) {
    return render(rig, dir, store, values, extraContext, threads, TemplateLimits.DEFAULT);
  }

  /** As {@link #render}, with {@code threads} workers and the given limits. */
  static io.testrig.template.RenderResult render(
      Rig rig,
      RunDir dir,
      SecretStore store,
      Map<String, Object> values,
      Map<String, Object> extraContext,
      int threads,
      TemplateLimits limits) {
    List<Job> jobs = Sources.collect(rig, dir.path());
    Map<String, Object> context = new HashMap<>(values);
    Map<String, Object> run = new LinkedHashMap<>();
    if (values.get("run") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> run.put(String.valueOf(k), v));
    }
    run.put("dir", dir.path().toString());
    context.put("run", run);
    extraContext.forEach(
        (k, v) -> {
          if (store.namespaces().contains(k)) {
            throw new IllegalArgumentException("extra context reuses generator name " + k);
          }
          context.put(k, v);
        });

    Path tmp;
    try {
      tmp = Files.createTempDirectory(dir.path(), ".render-");
    } catch (IOException e) {
      throw TestrigException.io(
          dir.path() + ": cannot create a render directory: " + e.getMessage(), e);
    }
    int n = jobs.size();
    io.testrig.template.RenderResult.Output[] outputs =
        new io.testrig.template.RenderResult.Output[n];
    boolean ok = false;
    try {
      Batch batch = new Batch(rig, dir, store, context, jobs, tmp, limits);
      renderAll(batch, outputs, threads > 0 ? threads : threads(n));
      // Every template rendered: only now touch the visible tree, and never through a link.
      for (Job job : jobs) {
        dir.requireNoLinks(job.output());
      }
      for (int i = 0; i < n; i++) {
        Path target = jobs.get(i).output();
        createDirs(dir.path(), target.getParent());
        Files.move(
            tmp.resolve(Integer.toString(i)),
            target,
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      ok = true;
    } catch (IOException e) {
      throw TestrigException.io("render failed: " + e.getMessage(), e);
    } finally {
      removeStage(tmp, ok);
    }
    return new io.testrig.template.RenderResult(List.of(outputs));
  }

  /** What every worker of one render shares; read-only but for the stage directory. */
  private record Batch(
      Rig rig,
      RunDir dir,
      SecretStore store,
      Map<String, Object> context,
      List<Job> jobs,
      Path tmp,
      TemplateLimits limits) {}

  /** Worker thread stack: deep enough for {@link TemplateLimits#maxNesting} with room to spare. */
  static final long WORKER_STACK_BYTES = 64L * 1024 * 1024;

  /**
   * Templates are independent, so they render on every core: each worker thread has its own Jinjava
   * instance, resource locator, root context and secret nodes (jinjava's interpreter state and the
   * locator's root are per render), and shares only the read-only values and the thread-safe {@link
   * SecretStore}. Workers take the next template by index. After a failure they finish only
   * templates with a lower index, so the error reported is always that of the first failing
   * template in source order, as with one thread. {@code -Dtestrig.render.threads=N} sets the
   * number of workers (bench/render.sh compares 1 with the default).
   *
   * <p>Workers run on their own threads with a {@value #WORKER_STACK_BYTES}-byte stack, so the
   * depth a template may reach does not depend on the JVM's default; the calling thread waits at
   * most until the render deadline, then gives up on them: they are daemons and stop themselves at
   * their next clock check ({@link TemplateLimits#checkClock}). They are never stopped from
   * outside: Thread.stop can hit a class initializer and break that class for the rest of the JVM.
   */
  private static void renderAll(
      Batch batch, io.testrig.template.RenderResult.Output[] outputs, int threads) {
    int n = batch.jobs.size();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger firstFailure = new AtomicInteger(Integer.MAX_VALUE);
    Throwable[] failures = new Throwable[n];
    long deadline = System.nanoTime() + batch.limits.timeout().toNanos();
    Map<Thread, Integer> running = new java.util.concurrent.ConcurrentHashMap<>();
    Runnable work =
        () -> {
          TemplateLimits.startClock(deadline);
          Worker w = null;
          int i;
          while ((i = next.getAndIncrement()) < n && i < firstFailure.get()) {
            running.put(Thread.currentThread(), i);
            try {
              if (w == null) {
                w = new Worker(batch);
              }
              outputs[i] = w.renderJob(batch.jobs.get(i), batch.tmp.resolve(Integer.toString(i)));
            } catch (IOException e) {
              failures[i] = TestrigException.io("render failed: " + e.getMessage(), e);
              firstFailure.accumulateAndGet(i, Math::min);
            } catch (RuntimeException e) {
              failures[i] = e;
              firstFailure.accumulateAndGet(i, Math::min);
            } catch (Error e) {
              String where = display(batch.rig, batch.jobs.get(i).source());
              failures[i] = batch.limits.asBadInput(where, e);
              firstFailure.accumulateAndGet(i, Math::min);
            }
          }
        };
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < Math.min(threads, n); t++) {
      Thread th = new Thread(null, work, "testrig-render-" + t, WORKER_STACK_BYTES);
      th.setDaemon(true);
      th.start();
      workers.add(th);
    }
    for (Thread th : workers) {
      if (!join(th, deadline)) {
        firstFailure.set(-1); // no worker takes another template
        Integer slow = running.get(th);
        String where =
            slow == null
                ? batch.rig.file() + ": templates"
                : display(batch.rig, batch.jobs.get(slow).source());
        throw TestrigException.badInput(
            where + ": render time limit exceeded (" + batch.limits.seconds() + ")");
      }
    }
    int first = firstFailure.get();
    if (first != Integer.MAX_VALUE) {
      throw (RuntimeException) failures[first];
    }
  }

  /** Waits for {@code th} until {@code deadline} (nanoTime); false when it is still running. */
  private static boolean join(Thread th, long deadline) {
    boolean interrupted = false;
    try {
      while (th.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          th.join(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Removes the stage directory. After a failure, a worker abandoned at the deadline may still be
   * writing into it, and the failure matters more than a leftover inside the run directory (which
   * is wiped with it).
   */
  private static void removeStage(Path tmp, boolean ok) {
    try {
      deleteTree(tmp);
    } catch (TestrigException e) {
      if (ok) {
        throw e;
      }
    }
  }

  /** Worker threads for {@code n} templates: one per core, but at least 32 templates each. */
  static int threads(int n) {
    Integer forced = Integer.getInteger("testrig.render.threads");
    int cores = Runtime.getRuntime().availableProcessors();
    int want = forced != null && forced > 0 ? forced : Math.min(cores, Math.max(1, n / 32));
    return Math.max(1, Math.min(want, n));
  }

  /** One render thread's own jinjava state; see {@link #renderAll}. */
  private static final class Worker {
    private final Rig rig;
    private final RunDir dir;
    private final SecretStore store;
    private final AtomicBoolean touched = new AtomicBoolean();
    private final Map<String, Object> context;
    private final RootedLocator locator;
    private final Jinjava jinjava;
    private final Context base;

    private final TemplateLimits limits;

    Worker(Batch batch) {
      this.rig = batch.rig;
      this.dir = batch.dir;
      this.store = batch.store;
      this.limits = batch.limits;
      this.locator = new RootedLocator(limits.maxIncludes());
      this.context = new HashMap<>(batch.context);
      for (String ns : store.namespaces()) {
        context.put(ns, new SecretNode(store, ns, touched));
      }
      this.jinjava = newJinjava(locator, limits);
      this.base = jinjava.getGlobalContextCopy();
    }

    io.testrig.template.RenderResult.Output renderJob(Job job, Path stage) throws IOException {
      Set<PosixFilePermission> sourceMode = Files.getPosixFilePermissions(job.source());
      boolean secret;
      if (job.render()) {
        touched.set(false);
        locator.root(job.root());
        String text = read(rig, job.source());
        String tooDeep = limits.checkNesting(text);
        if (tooDeep != null) {
          throw TestrigException.badInput(display(rig, job.source()) + ":" + tooDeep);
        }
        RenderResult r = renderOne(jinjava, base, text, context);
        fail(rig, job, r, locator);
        String out = r.getOutput();
        // A template that rendered no secret node may still hold a secret that arrived as a plain
        // string (a cert's keystore_password in the certs context); the store's list is cached.
        secret = touched.get() || containsAny(out, store.secretValues());
        Files.writeString(stage, out, StandardCharsets.UTF_8);
      } else {
        secret = false;
        Files.copy(job.source(), stage, StandardCopyOption.COPY_ATTRIBUTES);
      }
      Set<PosixFilePermission> mode = mode(job.spec(), sourceMode, secret);
      Files.setPosixFilePermissions(stage, mode);
      return new io.testrig.template.RenderResult.Output(
          job.source(),
          job.output(),
          dir.path().relativize(job.output()),
          octal(mode),
          secret,
          job.render());
    }
  }

  /**
   * What {@link Jinjava#renderForResult(String, Map)} does, minus its per-call {@code
   * copyGlobalContext()}: jinjava 2.8.4 builds a fresh root context for every render, which
   * instantiates every built-in tag, filter, function and test by reflection and then re-registers
   * the global ones (over a third of the render time of 500 small templates in a fresh JVM;
   * bench/render.sh). Here one copy per worker ({@code base}) is the parent of every template's own
   * context. A template's assignments, macros and imports live in that child context, as in
   * renderForResult; what a child pushes up to its parents (resolved expressions and values, for
   * eager execution) is cleared after each template by {@link Context#reset()}, as renderForResult
   * does for its root. Templates cannot register filters, tags or functions, so the shared
   * libraries stay as built, and nothing reaches jinjava's global context.
   */
  static RenderResult renderOne(
      Jinjava jinjava, Context base, String template, Map<String, Object> bindings) {
    JinjavaConfig config = jinjava.getGlobalConfig();
    Context context = new Context(base, bindings, config.getDisabled());
    StrictUndefined undefined = StrictUndefined.current();
    undefined.reset();
    context.setDynamicVariableResolver(undefined::resolve);
    JinjavaInterpreter interpreter =
        config.getInterpreterFactory().newInstance(jinjava, context, config);
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      String out = interpreter.render(template);
      return new RenderResult(out, interpreter.getContext(), interpreter.getErrorsCopy());
    } catch (TemplateSyntaxException e) {
      return new RenderResult(
          TemplateError.fromException(e), interpreter.getContext(), interpreter.getErrorsCopy());
    } catch (InterpretException e) {
      return new RenderResult(
          TemplateError.fromSyntaxError(e), interpreter.getContext(), interpreter.getErrorsCopy());
    } catch (InvalidArgumentException e) {
      return new RenderResult(
          TemplateError.fromInvalidArgumentException(e),
          interpreter.getContext(),
          interpreter.getErrorsCopy());
    } catch (InvalidInputException e) {
      return new RenderResult(
          TemplateError.fromInvalidInputException(e),
          interpreter.getContext(),
          interpreter.getErrorsCopy());
    } catch (Exception e) {
      return new RenderResult(
          TemplateError.fromException(e), interpreter.getContext(), interpreter.getErrorsCopy());
    } finally {
      base.reset();
      JinjavaInterpreter.popCurrent();
    }
  }

  static Jinjava newJinjava(RootedLocator locator, TemplateLimits limits) {
    JinjavaConfig config =
        JinjavaConfig.newBuilder()
            .withFailOnUnknownTokens(true)
            .withNestedInterpretationEnabled(false)
            .withElResolver(Sandbox.resolver())
            .withKeepTrailingNewline(true)
            .withMaxOutputSize(limits.maxOutputBytes())
            .build();
    Jinjava jinjava = new Jinjava(config);
    jinjava.setResourceLocator(locator);
    for (Filter f : List.copyOf(jinjava.getGlobalContext().getAllFilters())) {
      jinjava.getGlobalContext().registerFilter(new SecretAwareFilter(f));
    }
    // Loops and conditionals check the render deadline each time they start, so a loop whose
    // body looks nothing up (where the resolver and filter checks never run) still stops; the
    // innermost loop between two checks is bounded by the size of what it iterates.
    jinjava
        .getGlobalContext()
        .registerTag(
            new ForTag() {
              @Override
              public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
                TemplateLimits.checkClock();
                return super.interpret(tagNode, interpreter);
              }
            });
    jinjava
        .getGlobalContext()
        .registerTag(
            new IfTag() {
              @Override
              public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
                TemplateLimits.checkClock();
                return super.interpret(tagNode, interpreter);
              }
            });
    for (String name : List.of("defined", "undefined")) {
      ExpTest test = jinjava.getGlobalContext().getExpTest(name);
      jinjava.getGlobalContext().registerExpTest(new ForgivingTest(test));
    }
    return jinjava;
  }

  private static void fail(Rig rig, Job job, RenderResult r, RootedLocator locator) {
    StrictUndefined.Use undefined = StrictUndefined.current().first();
    if (undefined != null && locator.violation() == null) {
      String line = undefined.line() > 0 ? ":" + undefined.line() : "";
      String what = "undefined: '" + undefined.name() + "'";
      // jinjava's own error for a whole undefined expression names the full path (app.port);
      // prefer it when it is about the same name.
      for (TemplateError candidate : r.getErrors()) {
        String d = describe(candidate);
        if (d.startsWith("undefined: '" + undefined.name() + ".")) {
          what = d;
          break;
        }
      }
      throw TestrigException.badInput(display(rig, job.source()) + line + ": " + what);
    }
    if (r.getErrors().isEmpty()) {
      return;
    }
    // The most telling error first: an unknown filter, else the first fatal one, else any.
    TemplateError e = r.getErrors().get(0);
    TemplateError fatal = null;
    for (TemplateError candidate : r.getErrors()) {
      if (candidate.getItem() == TemplateError.ErrorItem.FILTER) {
        fatal = candidate;
        break;
      }
      if (fatal == null && candidate.getSeverity() == TemplateError.ErrorType.FATAL) {
        fatal = candidate;
      }
    }
    e = fatal != null ? fatal : e;
    String what = locator.violation() != null ? locator.violation() : describe(e);
    String line = e.getLineno() > 0 ? ":" + e.getLineno() : "";
    throw TestrigException.badInput(display(rig, job.source()) + line + ": " + what);
  }

  /** One line, no values: jinjava's messages may quote a whole dict, so keep only the gist. */
  static String describe(TemplateError e) {
    String msg = e.getMessage() == null ? "" : e.getMessage();
    msg = msg.replace('\n', ' ').replace('\r', ' ').strip();
    int origin = msg.indexOf(" Originating Exception:");
    if (origin > 0) {
      msg = msg.substring(0, origin);
    }
    if (msg.startsWith("OutputTooBigException:")) {
      // "OutputTooBigException: 16800000 byte output rendered, over limit of 16777216 bytes"
      int over = msg.indexOf("over limit of ");
      return "output larger than the limit"
          + (over > 0 ? " of " + msg.substring(over + "over limit of ".length()) : "");
    }
    String unknownToken = "UnknownTokenException: Unknown token found: ";
    if (msg.startsWith(unknownToken)) {
      return "undefined: '" + msg.substring(unknownToken.length()) + "'";
    }
    if (e.getItem() == TemplateError.ErrorItem.FILTER) {
      return "unknown filter '" + e.getFieldName() + "'";
    }
    if (e.getReason() == TemplateError.ErrorReason.UNKNOWN
        && e.getFieldName() != null
        && !e.getFieldName().isEmpty()) {
      return "undefined: '" + e.getFieldName() + "'";
    }
    if (msg.length() > 300) {
      msg = msg.substring(0, 300) + "...";
    }
    return msg;
  }

  static String display(Rig rig, Path p) {
    Path d = rig.dir();
    return p.startsWith(d) ? d.relativize(p).toString() : p.toString();
  }

  private static String read(Rig rig, Path source) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(source)))
          .toString();
    } catch (CharacterCodingException e) {
      throw TestrigException.badInput(
          display(rig, source) + ": not UTF-8 text; templates must be UTF-8");
    } catch (IOException e) {
      throw TestrigException.io(display(rig, source) + ": cannot read: " + e.getMessage(), e);
    }
  }

  static Set<PosixFilePermission> mode(
      TemplateSpec spec, Set<PosixFilePermission> source, boolean secret) {
    if (spec.mode() != null) {
      String m = spec.mode().length() == 4 ? spec.mode().substring(1) : spec.mode();
      return fromOctal(m);
    }
    if (!secret) {
      return source;
    }
    Set<PosixFilePermission> out = EnumSet.copyOf(OWNER_RW);
    if (source.contains(PosixFilePermission.OWNER_EXECUTE)) {
      out.add(PosixFilePermission.OWNER_EXECUTE);
    }
    return out;
  }

  static Set<PosixFilePermission> fromOctal(String m) {
    StringBuilder sb = new StringBuilder();
    for (char c : m.toCharArray()) {
      int v = c - '0';
      sb.append((v & 4) != 0 ? 'r' : '-')
          .append((v & 2) != 0 ? 'w' : '-')
          .append((v & 1) != 0 ? 'x' : '-');
    }
    return PosixFilePermissions.fromString(sb.toString());
  }

  static String octal(Set<PosixFilePermission> mode) {
    String s = PosixFilePermissions.toString(mode);
    StringBuilder sb = new StringBuilder("0");
    for (int i = 0; i < 9; i += 3) {
      int v =
          (s.charAt(i) == 'r' ? 4 : 0)
              + (s.charAt(i + 1) == 'w' ? 2 : 0)
              + (s.charAt(i + 2) == 'x' ? 1 : 0);
      sb.append(v);
    }
    return sb.toString();
  }

  private static boolean containsAny(String text, List<String> secrets) {
    for (String s : secrets) {
      if (!s.isEmpty() && text.contains(s)) {
        return true;
      }
    }
    return false;
  }

  /** Output directories are 0755 so containers can read mounted config; the run dir is 0700. */
  private static void createDirs(Path runDir, Path dir) throws IOException {
    if (dir.equals(runDir) || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    createDirs(runDir, dir.getParent());
    Files.createDirectory(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      FileTrees.deleteTree(root);
    } catch (IOException e) {
      throw TestrigException.io(
          root + ": cannot remove the render directory: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code defined} and {@code undefined} tests: they may see an undefined name, which {@link
   * StrictUndefined} must then not report.
   */
  private record ForgivingTest(ExpTest delegate) implements ExpTest {
    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
      if (var == null) {
        StrictUndefined.current().forgive();
      }
      return delegate.evaluate(var, interpreter, args);
    }

    @Override
    public boolean evaluateNegated(Object var, JinjavaInterpreter interpreter, Object... args) {
      if (var == null) {
        StrictUndefined.current().forgive();
      }
      return delegate.evaluateNegated(var, interpreter, args);
    }
  }

  /** One source file and where its output goes. */
  record Job(TemplateSpec spec, Path root, Path source, Path output, boolean render) {}
}
