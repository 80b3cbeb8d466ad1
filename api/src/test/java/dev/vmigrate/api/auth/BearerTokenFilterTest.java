package dev.vmigrate.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The filter's decision, including what no HTTP test can do: a client off the loopback. */
class BearerTokenFilterTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final InetAddress REMOTE = address(new byte[] {10, 1, 2, 3});

  private static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void tokensAreRequiredByDefaultEvenOnLoopback() {
    BearerTokenFilter f = new BearerTokenFilter(List.of("s3cret"), false);
    assertEquals("Authorization: a bearer token is required", f.decide(null, LOOPBACK));
    assertEquals("Authorization: unknown bearer token", f.decide("Bearer wrong", LOOPBACK));
    assertEquals(
        "Authorization: expected the 'Bearer' scheme", f.decide("Basic czNjcmV0", LOOPBACK));
    assertNull(f.decide("Bearer s3cret", REMOTE));
    assertNull(f.decide("bearer s3cret", REMOTE));
  }

  @Test
  void unauthenticatedAccessIsOnlyEverForLoopbackClients() {
    BearerTokenFilter f = new BearerTokenFilter(List.of(), true);
    assertNull(f.decide(null, LOOPBACK));
    assertEquals("Authorization: a bearer token is required", f.decide(null, REMOTE));
    assertEquals("Authorization: a bearer token is required", f.decide(null, null));
    // A presented token is still checked: no token is configured, so none is valid.
    assertEquals("Authorization: unknown bearer token", f.decide("Bearer anything", LOOPBACK));
  }

  @Test
  void noConfiguredTokensMeansNoAccess() {
    BearerTokenFilter f = new BearerTokenFilter(List.of(" ", ""), false);
    assertEquals("Authorization: unknown bearer token", f.decide("Bearer ", REMOTE));
    assertEquals("Authorization: a bearer token is required", f.decide(null, LOOPBACK));
  }
}
