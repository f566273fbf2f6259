package io.testrig.pki;

import io.testrig.core.TestrigException;
import io.testrig.rig.CertsSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code certs} template variables of certificates already issued into a run directory, read
 * back from the files {@link Pki#issue} wrote: {@code testrig reload} re-renders the templates of a
 * running stack without issuing new keys, which the running services would not trust. {@code
 * IssuedContextTest} checks it equals what {@link Pki#issue} returned.
 */
public final class IssuedContext {
  private IssuedContext() {}

  /**
   * {@code {certs: {...}}} as in {@link PkiResult#templateContext()}; exit 2 when a file is gone.
   */
  public static Map<String, Object> read(
      CertsSpec spec, Path certsDir, Function<String, String> secretByPath) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    String caPem = text(certsDir.resolve("ca.crt"));
    for (var e : spec.issue().entrySet()) {
      String n = e.getKey();
      Map<String, Object> c = new LinkedHashMap<>();
      String certPem = text(certsDir.resolve(n + ".crt"));
      c.put("cert_path", certsDir.resolve(n + ".crt").toString());
      c.put("chain_path", certsDir.resolve(n + ".chain.pem").toString());
      c.put("key_path", certsDir.resolve(n + ".key").toString());
      Path pk8 = certsDir.resolve(n + ".pk8");
      if (Boolean.TRUE.equals(e.getValue().pk8()) && Files.exists(pk8, LinkOption.NOFOLLOW_LINKS)) {
        c.put("pk8_path", pk8.toString());
      }
      c.put("keystore_path", certsDir.resolve(n + ".p12").toString());
      c.put("keystore_password", secretByPath.apply(Pki.KEYSTORE_SECRET.formatted(n)));
      c.put("truststore_path", certsDir.resolve(n + ".truststore.p12").toString());
      c.put("truststore_password", secretByPath.apply(Pki.TRUSTSTORE_SECRET.formatted(n)));
      c.put("cert_pem", certPem);
      c.put("chain_pem", text(certsDir.resolve(n + ".chain.pem")));
      ctx.put(n, Collections.unmodifiableMap(c));
    }
    ctx.put("ca", Map.of("cert_path", certsDir.resolve("ca.crt").toString(), "cert_pem", caPem));
    return Map.of("certs", Collections.unmodifiableMap(ctx));
  }

  private static String text(Path p) {
    try {
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        throw TestrigException.badInput(
            p + ": missing: the stack's certificates are gone (bring it up again)");
      }
      return Files.readString(p, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw TestrigException.io(p + ": cannot read: " + e.getMessage(), e);
    }
  }
}
