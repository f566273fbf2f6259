package io.testrig.backend.docker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class NoTlsTest {
  @Test
  void anyUseOfTheContextFailsLoudly() {
    SSLContext c = NoTls.context();
    IllegalStateException e = assertThrows(IllegalStateException.class, c::getSocketFactory);
    assertTrue(e.getMessage().contains("TLS is off"), e.getMessage());
    assertThrows(IllegalStateException.class, c::createSSLEngine);
    assertThrows(IllegalStateException.class, () -> c.init(null, null, null));
  }
}
