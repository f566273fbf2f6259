package io.testrig.validate;

import io.testrig.compose.ComposeConfig;
import io.testrig.rig.Problems;
import io.testrig.rig.StackSpec;
import io.testrig.rig.StackSpec.ProbeSpec;
import io.testrig.rig.SuiteSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

/** The rules that need the compose model: every service and profile the rig names exists. */
final class ComposeRules {
  private ComposeRules() {}

  /** A {@code service:} suite runs a compose service: a typo used to surface only in the XML. */
  static final class SuiteServices implements Rule {
    @Override
    public boolean needsCompose() {
      return true;
    }

    @Override
    public void check(Subject s, Problems out) {
      List<SuiteSpec> suites = s.rig().suites();
      for (int i = 0; i < suites.size(); i++) {
        if (suites.get(i) instanceof SuiteSpec.ComposeService c) {
          known(s.compose(), c.service(), "suites[" + i + "].service", out);
        }
      }
    }
  }

  /**
   * {@code stack.profiles}: each is a profile of some service; an unknown one enables nothing and
   * the services behind the intended one never start.
   */
  static final class Profiles implements Rule {
    @Override
    public boolean needsCompose() {
      return true;
    }

    @Override
    public void check(Subject s, Problems out) {
      Set<String> all = s.compose().allProfiles();
      List<String> profiles = s.rig().stack().profiles();
      for (int i = 0; i < profiles.size(); i++) {
        String p = profiles.get(i);
        out.require(
            p == null || all.contains(p),
            "stack.profiles[" + i + "]",
            "no service in the compose files has profile '"
                + p
                + "' (profiles: "
                + list(all)
                + ")");
      }
    }
  }

  /**
   * {@code stack.services} (readiness settings and probes), {@code stack.build}, and the host of an
   * {@code http} probe name services of the stack.
   */
  static final class StackServices implements Rule {
    @Override
    public boolean needsCompose() {
      return true;
    }

    @Override
    public void check(Subject s, Problems out) {
      StackSpec stack = s.rig().stack();
      stack
          .services()
          .forEach(
              (name, spec) -> {
                String at = "stack.services." + name;
                if (known(s.compose(), name, at, out) && spec != null && spec.probe() != null) {
                  String url = spec.probe() instanceof ProbeSpec.Http h ? h.url() : null;
                  probeHost(s.compose(), url, at + ".probe.http", out);
                }
              });
      for (int i = 0; i < stack.build().size(); i++) {
        if (stack.build().get(i) != null) {
          known(s.compose(), stack.build().get(i), "stack.build[" + i + "]", out);
        }
      }
    }

    /** A probe URL's host is seen from the stack network: a service, an alias, or an address. */
    private static void probeHost(
        ComposeConfig.Resolved compose, String url, String at, Problems out) {
      if (url == null) {
        return;
      }
      String host;
      try {
        host = new URI(url).getHost();
      } catch (URISyntaxException e) {
        out.add(at, "'" + url + "' is not a URL: " + e.getReason());
        return;
      }
      if (host == null) {
        out.add(at, "'" + url + "' has no host (like http://api:8080/health)");
      } else if (!host.contains(".")
          && !host.contains(":")
          && !host.equals("localhost")
          && !compose.hostnames().contains(host)) {
        out.add(
            at,
            "host '"
                + host
                + "' is no service of the compose files (services: "
                + list(compose.services())
                + ")");
      }
    }
  }

  /** Adds a problem unless {@code service} is in the compose model; returns whether it is. */
  private static boolean known(
      ComposeConfig.Resolved compose, String service, String at, Problems out) {
    return out.require(
        compose.services().contains(service),
        at,
        "no service '"
            + service
            + "' in the compose files (services: "
            + list(compose.services())
            + ")");
  }

  private static String list(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names.stream().sorted().toList());
  }
}
