package dev.vmigrate.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a hook may be sent: an absolute http(s) URL without user information whose host is neither
 * a name for the machine or its cloud's metadata service nor an address of the machine, its
 * networks or the cloud's metadata service (loopback, link-local, private, CGNAT, unique-local,
 * unspecified, multicast, reserved, and the IPv4-mapped, -compatible, NAT64 and 6to4 IPv6 forms of
 * those), unless the operator's allow-list ({@code vmigrate.hooks.allowed-destinations}) names the
 * address's network or the host name.
 *
 * <p>The API checks a plan's hooks with {@link #problem} when the plan is written; the worker
 * checks again on every call with {@link #resolve}, after name resolution, and connects only to the
 * addresses it returned (a name that resolves elsewhere by then, DNS rebinding, is refused). A URL
 * whose host is an address in any encoding the system resolver accepts (decimal {@code 2130706433},
 * octal {@code 0177.0.0.1}, hex {@code 0x7f000001}, short {@code 127.1}, bracketed IPv6) is read as
 * that address. Thread-safe and immutable.
 */
public final class HookDestinationPolicy {

  /** How a name is resolved: the system's resolver, or a test's. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A destination the policy refuses; the message names the host and why, never the URL. */
  public static final class RefusedDestination extends Exception {
    public RefusedDestination(String message) {
      super(message);
    }
  }

  /**
   * Names of the machine itself and of cloud metadata services, refused whatever they resolve to.
   */
  private static final Set<String> INTERNAL_NAMES =
      Set.of(
          "localhost",
          "metadata",
          "metadata.google.internal",
          "metadata.goog",
          "instance-data",
          "instance-data.ec2.internal",
          "metadata.azure.com",
          "metadata.tencentyun.com");

  /** Name suffixes that only resolve inside a site (RFC 6761, 6762 and ICANN's .internal). */
  private static final List<String> INTERNAL_SUFFIXES =
      List.of(".localhost", ".internal", ".local", ".localdomain");

  /** An IPv4 address as inet_aton reads it: one to four parts, decimal, octal or hex. */
  private static final Pattern NUMERIC_V4 =
      Pattern.compile("(0[xX][0-9a-fA-F]*|[0-9]+)(\\.(0[xX][0-9a-fA-F]*|[0-9]+)){0,3}");

  /** Networks refused besides what InetAddress classifies (loopback, link-local, ...). */
  private static final List<Cidr> REFUSED =
      List.of(
          Cidr.parse("0.0.0.0/8"), // "this network", 0.0.0.0 included
          Cidr.parse("10.0.0.0/8"),
          Cidr.parse("100.64.0.0/10"), // carrier-grade NAT
          Cidr.parse("127.0.0.0/8"),
          Cidr.parse("169.254.0.0/16"), // link-local, 169.254.169.254 the metadata service
          Cidr.parse("172.16.0.0/12"),
          Cidr.parse("192.0.0.0/24"), // IETF protocol assignments
          Cidr.parse("192.168.0.0/16"),
          Cidr.parse("198.18.0.0/15"), // benchmarking
          Cidr.parse("224.0.0.0/3"), // multicast, reserved, broadcast
          Cidr.parse("::/128"),
          Cidr.parse("::1/128"),
          Cidr.parse("fc00::/7"), // unique-local, fd00:ec2::254 the metadata service
          Cidr.parse("fe80::/10"),
          Cidr.parse("fec0::/10"),
          Cidr.parse("ff00::/8"));

  private final List<Cidr> allowedNetworks;
  private final Set<String> allowedNames;
  private final Resolver resolver;

  private HookDestinationPolicy(
      List<Cidr> allowedNetworks, Set<String> allowedNames, Resolver resolver) {
    this.allowedNetworks = List.copyOf(allowedNetworks);
    this.allowedNames = Set.copyOf(allowedNames);
    this.resolver = resolver;
  }

  /** Refuses every internal destination; none is allowed. */
  public static HookDestinationPolicy strict() {
    return allowing(List.of());
  }

  /**
   * The policy with an allow-list: each entry a network in CIDR notation ({@code 127.0.0.0/8},
   * {@code ::1/128}, a bare address is a /32 or /128) or a host name (exact, case-insensitive).
   *
   * @throws IllegalArgumentException naming an entry that is neither
   */
  public static HookDestinationPolicy allowing(List<String> entries) {
    List<Cidr> nets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String raw : entries == null ? List.<String>of() : entries) {
      String e = raw == null ? "" : raw.trim();
      if (e.isEmpty()) {
        continue;
      }
      if (e.contains("/") || e.contains(":") || NUMERIC_V4.matcher(e).matches()) {
        nets.add(Cidr.parse(e));
      } else {
        names.add(e.toLowerCase(Locale.ROOT));
      }
    }
    return new HookDestinationPolicy(nets, Set.copyOf(names), InetAddress::getAllByName);
  }

  /**
   * This policy resolving names with {@code resolver} (tests: a name that resolves to loopback).
   */
  public HookDestinationPolicy withResolver(Resolver resolver) {
    return new HookDestinationPolicy(allowedNetworks, allowedNames, resolver);
  }

  /**
   * Whether the URL is an absolute http(s) URL with a host: all a recorded workflow input was ever
   * checked for, so the workflow's own validation (which also runs on replay) checks only this.
   */
  public static boolean isHttpUrl(String url) {
    URI uri = uri(url);
    return uri != null
        && host(uri) != null
        && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
  }

  /**
   * The URL's host as an HTTP client reads it. java.net.URI gives none for hosts that are not RFC
   * 2396 host names, such as {@code 2130706433}, {@code 127.1} or {@code 0x7f000001}, which clients
   * and resolvers still take for addresses: those are read from the authority here.
   */
  public static String host(URI uri) {
    if (uri.getHost() != null) {
      return uri.getHost();
    }
    String authority = uri.getRawAuthority();
    if (authority == null) {
      return null;
    }
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      return end < 0 ? null : authority.substring(0, end + 1);
    }
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    return host.isEmpty() ? null : host;
  }

  /**
   * What is wrong with the URL as a hook, without resolving names: not http(s), user information
   * (credentials belong in a secret reference), or an internal host. Empty when it may be called;
   * the worker still checks what the name resolves to on every call. The text does not quote the
   * URL (it may carry a token in its query).
   */
  public Optional<String> problem(String url) {
    URI uri = uri(url);
    if (uri == null || !isHttpUrl(url)) {
      return Optional.of("not an absolute http(s) URL with a host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of(
          "a hook URL may not carry a user or password; give the hook's credentials as a secret"
              + " reference the worker resolves from its configuration (\"auth\": {\"secret\":"
              + " \"NAME\"} with vmigrate.hooks.secrets.NAME.token-file, or .username and"
              + " .password-file)");
    }
    try {
      check(host(uri));
    } catch (RefusedDestination e) {
      return Optional.of(e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * The addresses to connect to for {@code host}: its literal address, or every address the name
   * resolves to, each checked. Connect to these and resolve nothing again.
   *
   * @throws RefusedDestination when the host or any address it resolves to is refused
   * @throws UnknownHostException when the name does not resolve
   */
  public List<InetAddress> resolve(String host) throws RefusedDestination, UnknownHostException {
    Optional<InetAddress> literal = check(host);
    if (literal.isPresent()) {
      return List.of(literal.get());
    }
    String name = host.toLowerCase(Locale.ROOT);
    InetAddress[] all = resolver.resolve(name);
    if (all == null || all.length == 0) {
      throw new UnknownHostException(host);
    }
    if (!allowedNames.contains(name)) {
      for (InetAddress a : all) {
        Optional<String> why = refusal(a);
        if (why.isPresent()) {
          throw new RefusedDestination(
              "hook host " + host + " resolves to " + a.getHostAddress() + ", " + why.get());
        }
      }
    }
    return List.of(all);
  }

  /** Checks the host as written; its address when it is a literal, empty when it is a name. */
  private Optional<InetAddress> check(String host) throws RefusedDestination {
    if (host == null || host.isEmpty()) {
      throw new RefusedDestination("no host");
    }
    InetAddress literal = literal(host);
    if (literal != null) {
      Optional<String> why = refusal(literal);
      if (why.isPresent()) {
        throw new RefusedDestination(
            "hook host " + host + " is " + literal.getHostAddress() + ", " + why.get());
      }
      return Optional.of(literal);
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (allowedNames.contains(name)) {
      return Optional.empty();
    }
    final String n = name;
    if (INTERNAL_NAMES.contains(n) || INTERNAL_SUFFIXES.stream().anyMatch(n::endsWith)) {
      throw new RefusedDestination(
          "hook host "
              + host
              + " names this machine, its site or a cloud metadata service; allow it in"
              + " vmigrate.hooks.allowed-destinations if it is meant");
    }
    return Optional.empty();
  }

  /** Why the address is refused, or empty when it is public or allowed. */
  private Optional<String> refusal(InetAddress address) {
    InetAddress a = embeddedV4(address);
    for (Cidr c : allowedNetworks) {
      if (c.contains(a) || c.contains(address)) {
        return Optional.empty();
      }
    }
    boolean internal =
        a.isLoopbackAddress()
            || a.isLinkLocalAddress()
            || a.isSiteLocalAddress()
            || a.isAnyLocalAddress()
            || a.isMulticastAddress()
            || REFUSED.stream().anyMatch(c -> c.contains(a));
    if (!internal) {
      return Optional.empty();
    }
    return Optional.of(
        "an internal address (loopback, link-local, metadata, private, CGNAT, unspecified or"
            + " multicast); allow its network in vmigrate.hooks.allowed-destinations if it is"
            + " meant");
  }

  /**
   * The IPv4 address an IPv6 address carries (IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code
   * 64:ff9b::a.b.c.d}, 6to4 {@code 2002:AABB:CCDD::}); the address itself otherwise. IPv4-mapped
   * forms arrive as IPv4 already (InetAddress converts them).
   */
  static InetAddress embeddedV4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    try {
      boolean zero96 = true;
      for (int i = 0; i < 12; i++) {
        zero96 &= b[i] == 0;
      }
      if (zero96 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1))) {
        return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
      }
      boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
      for (int i = 4; i < 12 && nat64; i++) {
        nat64 = b[i] == 0;
      }
      if (nat64) {
        return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
      }
      if (b[0] == 0x20 && b[1] == 0x02) {
        return InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return address;
  }

  /**
   * The address a host written as a literal stands for, as the system resolver reads it (IPv4 in
   * one to four parts, each decimal, octal with a leading 0 or hex with 0x; IPv6 in brackets); null
   * for a name.
   */
  static InetAddress literal(String host) {
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    try {
      if (h.contains(":")) {
        // An IPv6 literal: InetAddress parses it without a lookup.
        return InetAddress.getByName(h);
      }
      if (!NUMERIC_V4.matcher(h).matches()) {
        return null;
      }
      String[] parts = h.split("\\.", -1);
      long[] v = new long[parts.length];
      for (int i = 0; i < parts.length; i++) {
        v[i] = number(parts[i]);
      }
      long value = 0;
      for (int i = 0; i < parts.length - 1; i++) {
        if (v[i] > 255) {
          return null;
        }
        value |= v[i] << (8 * (3 - i));
      }
      long last = v[parts.length - 1];
      if (last >= 1L << (8 * (4 - (parts.length - 1)))) {
        return null;
      }
      value |= last;
      return InetAddress.getByAddress(
          new byte[] {
            (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
          });
    } catch (UnknownHostException | NumberFormatException e) {
      return null;
    }
  }

  private static long number(String part) {
    if (part.startsWith("0x") || part.startsWith("0X")) {
      return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
    }
    if (part.length() > 1 && part.startsWith("0")) {
      return Long.parseLong(part.substring(1), 8);
    }
    return Long.parseLong(part);
  }

  private static URI uri(String url) {
    try {
      return url == null ? null : URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A network in CIDR notation; a bare address is the network of that address alone. */
  record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String addr = slash < 0 ? text : text.substring(0, slash);
      InetAddress a = literal(addr);
      if (a == null) {
        throw new IllegalArgumentException(
            "vmigrate.hooks.allowed-destinations: '" + text + "' is not a network or an address");
      }
      int bits = a.getAddress().length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "vmigrate.hooks.allowed-destinations: '" + text + "' has no prefix 0 to " + bits);
      }
      return new Cidr(a.getAddress(), prefix);
    }

    boolean contains(InetAddress address) {
      byte[] b = address.getAddress();
      if (b.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
