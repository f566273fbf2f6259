package io.testrig.template;

import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import io.testrig.rig.TemplateSpec;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Expands {@code templates} entries into source files. {@code from} is a directory (every regular
 * file below it, mirrored) or a glob such as {@code conf/**}{@code /*.j2} (relative to the rig
 * file; the part before the first glob character is the template root, and {@code **}{@code /} also
 * matches zero directories). Files ending in {@code strip_suffix} are rendered and lose it; other
 * files are copied verbatim. With {@code strip_suffix: ""} every file is rendered.
 */
final class Sources {
  private Sources() {}

  static List<TemplateRenderer.Job> collect(Rig rig, Path runDir) {
    List<TemplateRenderer.Job> jobs = new ArrayList<>();
    Map<Path, String> seen = new HashMap<>();
    for (int i = 0; i < rig.templates().size(); i++) {
      TemplateSpec spec = rig.templates().get(i);
      String at = rig.file() + ": templates[" + i + "]";
      Selection sel = selection(rig, spec);
      Path root = sel.root();
      if (!Files.isDirectory(root)) {
        throw TestrigException.badInput(
            at
                + ".from: '"
                + spec.from()
                + "': "
                + (Files.exists(root) ? "not a directory" : "no such directory"));
      }
      Path realRoot = confine(rig, spec, at, root);
      List<Path> files = files(rig, spec, at, root, realRoot);
      Path outRoot = runDir.resolve(spec.to()).normalize();
      int matched = 0;
      for (Path f : files) {
        Path rel = root.relativize(f);
        if (!sel.matches(rel)) {
          continue;
        }
        matched++;
        Path out = output(runDir, spec, at, outRoot, rel);
        String previous = seen.put(out, f.toString());
        if (previous != null) {
          throw TestrigException.badInput(
              at
                  + ": '"
                  + rig.dir().relativize(f)
                  + "' and '"
                  + rig.dir().relativize(Path.of(previous))
                  + "' both render to '"
                  + runDir.relativize(out)
                  + "'");
        }
        jobs.add(new TemplateRenderer.Job(spec, root, f, out, render(spec, rel)));
      }
      if (matched == 0) {
        throw TestrigException.badInput(at + ".from: '" + spec.from() + "' matches no file");
      }
    }
    return jobs;
  }

  /**
   * A {@code from}'s template root and, for a glob, its matchers ({@code shallow} lets a leading
   * {@code **}{@code /} match zero directories); null matchers select every file.
   */
  private record Selection(Path root, PathMatcher matcher, PathMatcher shallow) {
    boolean matches(Path rel) {
      return matcher == null || matcher.matches(rel) || (shallow != null && shallow.matches(rel));
    }
  }

  private static Selection selection(Rig rig, TemplateSpec spec) {
    int glob = firstGlobSegment(spec.from());
    if (glob < 0) {
      return new Selection(rig.resolve(spec.from()), null, null);
    }
    String[] segs = spec.from().split("/");
    Path root =
        rig.resolve(
            String.join("/", java.util.Arrays.copyOfRange(segs, 0, glob)).isEmpty()
                ? "."
                : String.join("/", java.util.Arrays.copyOfRange(segs, 0, glob)));
    String pattern = String.join("/", java.util.Arrays.copyOfRange(segs, glob, segs.length));
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    PathMatcher shallow = null;
    if (pattern.startsWith("**/")) {
      shallow = FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3));
    }
    return new Selection(root, matcher, shallow);
  }

  /** The regular files below {@code root}, sorted; a link leading outside it is refused. */
  private static List<Path> files(Rig rig, TemplateSpec spec, String at, Path root, Path realRoot) {
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
      for (Path f : files) {
        if (!f.toRealPath().startsWith(realRoot)) {
          throw TestrigException.badInput(
              at
                  + ".from: '"
                  + rig.dir().relativize(f)
                  + "' is a symbolic link that leads outside the template root; refusing");
        }
      }
    } catch (IOException e) {
      throw TestrigException.io(
          at + ".from: cannot list '" + spec.from() + "': " + e.getMessage(), e);
    }
    return files;
  }

  /** Whether the file at {@code rel} is rendered (ends in {@code strip_suffix}) or copied. */
  private static boolean render(TemplateSpec spec, Path rel) {
    String suffix = spec.stripSuffix();
    return suffix.isEmpty() || rel.getFileName().toString().endsWith(suffix);
  }

  /**
   * Where the file at {@code rel} goes: below {@code outRoot}, without {@code strip_suffix} when
   * rendered; it must stay inside the run directory and not overwrite testrig's own files.
   */
  private static Path output(Path runDir, TemplateSpec spec, String at, Path outRoot, Path rel) {
    String name = rel.getFileName().toString();
    String suffix = spec.stripSuffix();
    Path outRel =
        render(spec, rel) && !suffix.isEmpty() && name.length() > suffix.length()
            ? rel.resolveSibling(name.substring(0, name.length() - suffix.length()))
            : rel;
    Path out = outRoot.resolve(outRel).normalize();
    if (!out.startsWith(runDir) || out.equals(runDir)) {
      throw TestrigException.badInput(at + ".to: output '" + outRel + "' leaves the run directory");
    }
    if (runDir.relativize(out).toString().equals("config.json")
        || runDir.relativize(out).startsWith("certs")) {
      throw TestrigException.badInput(
          at + ": output '" + runDir.relativize(out) + "' would overwrite testrig's own file");
    }
    return out;
  }

  /**
   * The template root's real path, after checking it lies in the rig file's directory tree (also
   * after resolving symbolic links) unless the entry opts out with {@code outside_rig: true}:
   * {@code from: /etc} or {@code from: ../..} would otherwise copy any readable file into the run
   * directory, where compose mounts it into containers.
   */
  private static Path confine(Rig rig, TemplateSpec spec, String at, Path root) {
    try {
      Path realRoot = root.toRealPath();
      if (!spec.outsideRig() && !realRoot.startsWith(rig.dir().toRealPath())) {
        throw TestrigException.badInput(
            at
                + ".from: '"
                + spec.from()
                + "' lies outside the rig file's directory "
                + rig.dir()
                + "; set outside_rig: true on this entry to allow it");
      }
      return realRoot;
    } catch (IOException e) {
      throw TestrigException.io(at + ".from: cannot resolve '" + spec.from() + "': " + e, e);
    }
  }

  private static int firstGlobSegment(String from) {
    String[] segs = from.split("/");
    for (int i = 0; i < segs.length; i++) {
      if (segs[i].matches(".*[*?\\[{].*")) {
        return i;
      }
    }
    return -1;
  }
}
