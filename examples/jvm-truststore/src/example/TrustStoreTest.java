package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Connects to web over TLS trusting only the run's CA, from the generated PKCS12 truststore. In a
 * container it reaches web by name on the stack network; on the host through the published port
 * testrig names in TESTRIG_SERVICE_WEB_8443 (and the system property testrig.service.web.8443).
 */
class TrustStoreTest {
  static final Path RUN = Path.of(System.getenv("TESTRIG_RUN_DIR"));

  static String address() {
    String published = System.getProperty("testrig.service.web.8443");
    return published != null ? published : "web:8443";
  }

  static SSLContext trusting() throws Exception {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(RUN.resolve("tests/client.properties"))) {
      p.load(in);
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(RUN.resolve(p.getProperty("truststore")))) {
      trust.load(in, p.getProperty("truststore.password").toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static HttpResponse<String> get(SSLContext ctx) throws Exception {
    // On the host: 127.0.0.1, which the certificate names as an IP SAN.
    HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
    URI uri = URI.create("https://" + address() + "/");
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void webIsTrustedThroughTheGeneratedTruststore() throws Exception {
    HttpResponse<String> r = get(trusting());
    assertEquals(200, r.statusCode());
    assertEquals("hello from web\n", r.body());
  }

  @Test
  void theJdksDefaultTrustRejectsTheThrowAwayCa() {
    assertThrows(SSLHandshakeException.class, () -> get(SSLContext.getDefault()));
  }

  @Test
  void theCaKeyIsNotInTheRunDirectory() {
    assertFalse(Files.exists(RUN.resolve("certs/ca.key")), "the CA key reached the suite");
    assertTrue(Files.exists(RUN.resolve("certs/ca.crt")), "the CA certificate is there");
  }

  @Test
  void inAContainerTheRunDirectoryIsReadOnly() {
    if (System.getProperty("testrig.service.web.8443") == null) { // not on the host
      assertEquals("/run/testrig", RUN.toString());
      assertFalse(Files.isWritable(RUN.resolve("tests/client.properties")));
      assertThrows(java.io.IOException.class, () -> Files.createFile(RUN.resolve("x")));
    }
  }
}
