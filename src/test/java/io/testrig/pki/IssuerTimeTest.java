package io.testrig.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

class IssuerTimeTest {
  /** The hand-made encoding equals BouncyCastle's own Time(Date), UTCTime and GeneralizedTime. */
  @Test
  void sameDerAsBouncyCastle() throws Exception {
    for (String s :
        List.of(
            "1950-01-01T00:00:00Z",
            "1999-12-31T23:59:59Z",
            "2026-03-04T05:06:07.891Z",
            "2049-12-31T23:59:59Z",
            "2050-01-01T00:00:00Z",
            "2124-07-08T09:10:11Z")) {
      Instant i = Instant.parse(s);
      Time mine = Issuer.time(i);
      assertArrayEquals(new Time(Date.from(i)).getEncoded(), mine.getEncoded(), s);
      assertEquals(i.getEpochSecond() * 1000, mine.getDate().getTime(), s);
    }
  }
}
