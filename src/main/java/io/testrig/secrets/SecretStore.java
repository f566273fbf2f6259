package io.testrig.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.testrig.core.Redactor;
import io.testrig.core.SafePaths;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * config.json: generated secrets, created on first reference and reused everywhere.
 *
 * <p>Layout: a JSON object whose top-level keys that name a generator ({@code password}, {@code
 * token}, {@code hex}, {@code uuid} and every {@code secrets.generators} name) hold nested objects
 * of secrets, e.g. {@code {"password": {"db": {"app": "..."}}}}. Any other top-level key is a plain
 * value that overrides the rig's {@code values} (see {@link #plainValues()}); testrig keeps such
 * keys untouched. Every string in the file, loaded or generated, is registered with the {@link
 * Redactor}.
 *
 * <p>Thread-safe: the matrix runs configs concurrently, each with its own store, but templates of
 * one config may resolve secrets from several threads.
 */
public final class SecretStore {
  /** A path segment: letters, digits, _ and - (usable in Jinja attribute access and env names). */
  static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final boolean persistent;
  private final Redactor redactor;
  private final Map<String, Generator> generators;
  private final Map<String, Object> data;
  private boolean dirty;

  /** {@link #secretValues()}, rebuilt only after a change: the renderer asks once per file. */
  private List<String> secretValuesCache;

  private SecretStore(
      Path file,
      boolean persistent,
      Redactor redactor,
      Map<String, Generator> generators,
      Map<String, Object> data) {
    this.file = file;
    this.persistent = persistent;
    this.redactor = redactor;
    this.generators = generators;
    this.data = data;
  }

  /**
   * Opens (or creates) config.json: {@code persistentConfig} when non-null, else the rig's {@code
   * secrets.config}, else the run directory's. Every value loaded or generated is added to {@code
   * redactor}. Nothing is written until {@link #save()}.
   */
  public static SecretStore open(Rig rig, RunDir runDir, Path persistentConfig, Redactor redactor) {
    Path file;
    boolean persistent = true;
    if (persistentConfig != null) {
      file = persistentConfig.toAbsolutePath().normalize();
    } else if (rig.secrets().config() != null) {
      file = rig.resolve(rig.secrets().config());
    } else {
      file = runDir.configFile();
      persistent = false;
    }
    if (persistentConfig != null) {
      SafePaths.requireFileTarget(file, "--config");
    } else if (persistent) {
      SafePaths.requireFileTarget(file, rig.file() + ": secrets.config");
    } else {
      runDir.requireNoLinks(file);
    }
    Map<String, Generator> gens = new TreeMap<>();
    for (String name : io.testrig.rig.SecretsSpec.BUILTIN_GENERATORS) {
      gens.put(name, Generator.builtin(name));
    }
    rig.secrets().generators().forEach((name, spec) -> gens.put(name, Generator.of(spec)));
    Map<String, Object> data = load(file);
    for (String ns : gens.keySet()) {
      Object v = data.get(ns);
      if (v != null && !(v instanceof Map)) {
        throw TestrigException.badInput(
            file + ": " + ns + ": must be an object of secrets (it is a generator namespace)");
      }
    }
    SecretStore store = new SecretStore(file, persistent, redactor, gens, data);
    store.registerAll("", data);
    return store;
  }

  private static Map<String, Object> load(Path file) {
    String text;
    try {
      // The path is user input (--config, secrets.config): a directory or a FIFO is a bad path,
      // not an i/o failure, and is refused before it is opened (a FIFO would block the read).
      if (Files.isDirectory(file)) {
        throw TestrigException.badInput(file + ": config is a directory, not a JSON file");
      }
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        throw TestrigException.badInput(
            file + ": config is not a regular file (a FIFO, socket or device)");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new LinkedHashMap<>();
    } catch (CharacterCodingException e) {
      throw TestrigException.badInput(file + ": config is not valid UTF-8 JSON");
    } catch (IOException e) {
      throw TestrigException.io(file + ": cannot read config: " + e.getMessage(), e);
    }
    if (text.isBlank()) {
      return new LinkedHashMap<>();
    }
    try {
      Object parsed = JSON.readValue(text, Object.class);
      if (!(parsed instanceof Map)) {
        throw TestrigException.badInput(file + ": config must be a JSON object");
      }
      return JSON.convertValue(parsed, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      // The parser's message quotes the input, which may hold a secret: keep only the location.
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw TestrigException.badInput(file + ":" + line + ": invalid JSON in config");
    }
  }

  /** The config.json this store reads and writes. */
  public Path file() {
    return file;
  }

  /** True when config.json is a persistent file ({@code --config} or {@code secrets.config}). */
  public boolean persistent() {
    return persistent;
  }

  /** Generator namespaces: each is a top-level template variable. */
  public Set<String> namespaces() {
    return Collections.unmodifiableSet(generators.keySet());
  }

  /** True when {@code path}'s first segment names a generator. */
  public boolean isSecretPath(String path) {
    int dot = path.indexOf('.');
    return dot > 0 && generators.containsKey(path.substring(0, dot));
  }

  /**
   * The value at a generator path such as {@code password.db.app} or {@code
   * password.certs.postgres.keystore}, generated with that namespace's generator on first use.
   */
  public synchronized String secret(String path) {
    List<String> segs = segments(path);
    Generator g = generators.get(segs.get(0));
    if (g == null || segs.size() < 2) {
      throw TestrigException.badInput(
          path
              + ": not a secret path (expected <generator>.<name>..., generators: "
              + generators.keySet()
              + ")");
    }
    Map<String, Object> parent = parentOf(path, segs, true);
    String leaf = segs.get(segs.size() - 1);
    Object existing = parent.get(leaf);
    if (existing instanceof Map) {
      throw TestrigException.badInput(path + ": is a group of secrets, not one value; name a leaf");
    }
    if (existing != null) {
      return existing.toString();
    }
    String value = g.generate();
    parent.put(leaf, value);
    secretValuesCache = null;
    redactor.add(path, value);
    dirty = true;
    return value;
  }

  /** Sets a secret explicitly (from --set or the environment); it is saved with the others. */
  public synchronized void put(String path, String value) {
    List<String> segs = segments(path);
    if (!isSecretPath(path)) {
      throw TestrigException.badInput(path + ": not a secret path");
    }
    Map<String, Object> parent = parentOf(path, segs, true);
    String leaf = segs.get(segs.size() - 1);
    if (parent.get(leaf) instanceof Map) {
      throw TestrigException.badInput(path + ": is a group of secrets, not one value");
    }
    if (!value.equals(parent.get(leaf))) {
      parent.put(leaf, value);
      secretValuesCache = null;
      dirty = true;
    }
    redactor.add(path, value);
  }

  /** Replaces one secret with a fresh value from its generator; returns nothing, by design. */
  public synchronized void rotate(String path) {
    List<String> segs = segments(path);
    if (!isSecretPath(path)) {
      throw TestrigException.badInput(
          path + ": not a secret path (generators: " + generators.keySet() + ")");
    }
    Map<String, Object> parent = parentOf(path, segs, true);
    String leaf = segs.get(segs.size() - 1);
    if (parent.get(leaf) instanceof Map) {
      throw TestrigException.badInput(path + ": is a group of secrets, not one value");
    }
    parent.remove(leaf);
    secretValuesCache = null;
    secret(path);
  }

  /** Every leaf in config.json as path → value, sorted by path (values are secrets: mask them). */
  public synchronized Map<String, Object> entries() {
    Map<String, Object> out = new TreeMap<>();
    flatten("", data, out);
    return out;
  }

  /** Top-level keys of config.json that are not generator namespaces: values for templates. */
  public synchronized Map<String, Object> plainValues() {
    Map<String, Object> out = new LinkedHashMap<>();
    data.forEach(
        (k, v) -> {
          if (!generators.containsKey(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Every secret string known to this store (for deciding whether an output holds one). */
  public synchronized List<String> secretValues() {
    if (secretValuesCache != null) {
      return secretValuesCache;
    }
    List<String> out = new ArrayList<>();
    for (String ns : generators.keySet()) {
      Map<String, Object> flat = new TreeMap<>();
      if (data.get(ns) instanceof Map<?, ?> m) {
        flatten(ns, cast(m), flat);
      }
      flat.values().forEach(v -> out.add(String.valueOf(v)));
    }
    secretValuesCache = List.copyOf(out);
    return secretValuesCache;
  }

  /** True when something changed since open or the last save. */
  public synchronized boolean dirty() {
    return dirty;
  }

  /**
   * Writes config.json atomically with mode 0600: a temp file created 0600 in the same directory,
   * fsynced, then renamed over the target (rename(2) is atomic within one file system), so a reader
   * never sees a half-written file and a crash leaves the old one.
   */
  public synchronized void save() {
    SafePaths.requireFileTarget(file, "config");
    try {
      Path dir = file.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path tmp =
          Files.createTempFile(
              dir,
              ".config-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        byte[] bytes = JSON.writeValueAsBytes(data);
        try (FileChannel ch =
            FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          ByteBuffer buf = ByteBuffer.wrap(bytes);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
          ch.force(true);
        }
        try {
          Files.move(
              tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          throw TestrigException.io(file + ": file system cannot replace config atomically", e);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      dirty = false;
    } catch (IOException e) {
      throw TestrigException.io(file + ": cannot write config: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> parentOf(String path, List<String> segs, boolean create) {
    Map<String, Object> node = data;
    for (int i = 0; i < segs.size() - 1; i++) {
      Object next = node.get(segs.get(i));
      if (next == null && create) {
        next = new LinkedHashMap<String, Object>();
        node.put(segs.get(i), next);
      }
      if (!(next instanceof Map)) {
        throw TestrigException.badInput(
            path + ": " + String.join(".", segs.subList(0, i + 1)) + " is one secret, not a group");
      }
      node = cast((Map<?, ?>) next);
    }
    return node;
  }

  static List<String> segments(String path) {
    List<String> segs = List.of(path.split("\\.", -1));
    for (String s : segs) {
      if (!SEGMENT.matcher(s).matches()) {
        throw TestrigException.badInput(
            "'"
                + path
                + "': not a valid key path (segments of letters, digits, _ and -, joined by .)");
      }
    }
    return segs;
  }

  private void registerAll(String prefix, Map<String, Object> node) {
    node.forEach(
        (k, v) -> {
          String p = prefix.isEmpty() ? k : prefix + "." + k;
          if (v instanceof Map<?, ?> m) {
            registerAll(p, cast(m));
          } else if (v instanceof String s) {
            redactor.add(p, s);
          }
        });
  }

  private static void flatten(String prefix, Map<String, Object> node, Map<String, Object> out) {
    node.forEach(
        (k, v) -> {
          String p = prefix.isEmpty() ? k : prefix + "." + k;
          if (v instanceof Map<?, ?> m) {
            flatten(p, cast(m), out);
          } else {
            out.put(p, v);
          }
        });
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
