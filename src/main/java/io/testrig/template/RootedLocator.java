package io.testrig.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.loader.ResourceLocator;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads {@code include}, {@code import}, {@code from} and {@code extends} targets from the template
 * root only. Names resolve against the root; after resolving {@code ..} and symbolic links the file
 * must still lie below the root, otherwise loading fails and the render with it.
 */
final class RootedLocator implements ResourceLocator {
  private Path root;
  private Path realRoot;
  private String violation;
  private final int maxLoads;
  private int loads;

  /** {@code maxLoads}: loads per template ({@link TemplateLimits#maxIncludes}). */
  RootedLocator(int maxLoads) {
    this.maxLoads = maxLoads;
  }

  void root(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.violation = null;
    this.loads = 0;
  }

  /** The last refused name with the reason, or null. */
  String violation() {
    return violation;
  }

  @Override
  public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter)
      throws IOException {
    TemplateLimits.checkClock();
    // A chain of templates that each include the next twice loads 2^depth files: bound the count.
    if (++loads > maxLoads) {
      throw new TemplateLimits.Exceeded(
          "more than " + maxLoads + " include/import/extends loads in one template");
    }
    Path p = root.resolve(fullName).normalize();
    if (!p.startsWith(root)) {
      return refuse(fullName, "is outside the template root " + root);
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (NoSuchFileException e) {
      return refuse(fullName, "not found in the template root " + root);
    }
    if (!real.startsWith(realRoot)) {
      return refuse(fullName, "leads outside the template root " + root + " (symbolic link)");
    }
    if (!Files.isRegularFile(real)) {
      return refuse(fullName, "is not a file");
    }
    return Files.readString(real, encoding);
  }

  private String refuse(String name, String why) throws IOException {
    violation = "include '" + name + "' " + why;
    throw new IOException(violation);
  }
}
