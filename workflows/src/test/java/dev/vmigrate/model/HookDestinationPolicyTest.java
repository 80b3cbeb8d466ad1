package dev.vmigrate.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which hook destinations are refused, in every encoding a resolver accepts, and what allows them.
 */
class HookDestinationPolicyTest {
  private final HookDestinationPolicy strict = HookDestinationPolicy.strict();

  @ParameterizedTest
  @ValueSource(
      strings = {
        // cloud metadata services, by address and by name
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://metadata.google.internal./computeMetadata/v1/",
        "http://METADATA.GOOGLE.INTERNAL/",
        "http://instance-data/latest/",
        // loopback in every encoding
        "http://127.0.0.1:7233/",
        "http://localhost:8080/requests/x/approve",
        "http://app.localhost/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f000001/",
        "http://0x7f.0.0.1/",
        "http://127.1/",
        "http://127.0.1/",
        "http://[::1]/",
        "http://[0:0:0:0:0:0:0:1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
        // link-local, private, CGNAT, unique-local, unspecified, multicast
        "http://169.254.1.1/",
        "http://[fe80::1]/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://192.168.1.10/",
        "http://[::ffff:192.168.1.10]/",
        "http://100.64.0.1/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
        "http://0.0.0.0:8233/",
        "http://0/",
        "http://[::]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://255.255.255.255/",
        "https://printer.local/"
      })
  void internalDestinationsAreRefusedAtValidation(String url) {
    Optional<String> problem = strict.problem(url);
    assertTrue(problem.isPresent(), url + " must be refused");
    assertTrue(
        problem.get().contains("vmigrate.hooks.allowed-destinations"),
        "the error says how to allow it: " + problem.get());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://cmdb.example.com/hooks",
        "http://hooks.example:8080/x?token=abc",
        "https://93.184.216.34/",
        "https://[2606:4700::1111]/",
        "http://172.32.0.1/",
        "http://100.128.0.1/"
      })
  void publicDestinationsAreAccepted(String url) {
    assertEquals(Optional.empty(), strict.problem(url), url);
  }

  @Test
  void aUrlWithUserInformationIsRefusedSayingHowToGiveCredentials() {
    String problem = strict.problem("https://ops:pa55@cmdb.example.com/hooks").orElseThrow();
    assertTrue(problem.contains("\"auth\": {\"secret\""), problem);
    assertTrue(problem.contains("vmigrate.hooks.secrets.NAME.token-file"), problem);
    assertFalse(problem.contains("pa55"), problem);
  }

  @Test
  void notHttpIsRefused() {
    assertTrue(strict.problem("mailto:ops@example.com").isPresent());
    assertTrue(strict.problem("file:///etc/passwd").isPresent());
    assertTrue(strict.problem("gopher://127.0.0.1/").isPresent());
    assertTrue(strict.problem("http:///nohost").isPresent());
    assertTrue(strict.problem(null).isPresent());
  }

  @Test
  void theAllowListAdmitsNetworksAndNamesItNamesOnly() {
    HookDestinationPolicy allowing =
        HookDestinationPolicy.allowing(List.of("127.0.0.0/8", "10.20.0.0/16", "cmdb.internal"));
    assertEquals(Optional.empty(), allowing.problem("http://127.0.0.1:9000/hook"));
    assertEquals(Optional.empty(), allowing.problem("http://2130706433:9000/hook"));
    assertEquals(Optional.empty(), allowing.problem("http://[::ffff:127.0.0.1]/hook"));
    assertEquals(Optional.empty(), allowing.problem("http://10.20.3.4/hook"));
    assertEquals(Optional.empty(), allowing.problem("https://CMDB.internal/hook"));
    assertTrue(allowing.problem("http://10.21.0.1/hook").isPresent());
    assertTrue(allowing.problem("http://169.254.169.254/").isPresent());
    assertTrue(allowing.problem("http://metadata.google.internal/").isPresent());
    assertTrue(allowing.problem("http://[::1]/").isPresent(), "IPv6 loopback is not in 127/8");
    assertThrows(
        IllegalArgumentException.class,
        () -> HookDestinationPolicy.allowing(List.of("10.0.0.0/33")));
  }

  @Test
  void atCallTimeEveryResolvedAddressIsChecked() throws Exception {
    HookDestinationPolicy.Resolver dns =
        host ->
            switch (host) {
              case "rebound.example" -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
              case "mixed.example" ->
                  new InetAddress[] {
                    InetAddress.getByName("93.184.216.34"), InetAddress.getByName("169.254.169.254")
                  };
              case "public.example" -> new InetAddress[] {InetAddress.getByName("93.184.216.34")};
              default -> throw new UnknownHostException(host);
            };
    HookDestinationPolicy policy = strict.withResolver(dns);
    HookDestinationPolicy.RefusedDestination rebound =
        assertThrows(
            HookDestinationPolicy.RefusedDestination.class,
            () -> policy.resolve("rebound.example"));
    assertTrue(rebound.getMessage().contains("resolves to 127.0.0.1"), rebound.getMessage());
    assertThrows(
        HookDestinationPolicy.RefusedDestination.class, () -> policy.resolve("mixed.example"));
    assertEquals(List.of(InetAddress.getByName("93.184.216.34")), policy.resolve("public.example"));
    assertThrows(UnknownHostException.class, () -> policy.resolve("nosuch.example"));
    // A literal is never looked up, whatever the resolver says.
    assertEquals(List.of(InetAddress.getByName("93.184.216.34")), policy.resolve("93.184.216.34"));
    assertThrows(
        HookDestinationPolicy.RefusedDestination.class, () -> policy.resolve("0x7f000001"));
  }
}
