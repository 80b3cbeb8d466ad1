package dev.vmigrate.api.auth;

import dev.vmigrate.api.web.ApiError;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Requires {@code Authorization: Bearer <token>} with one of the configured tokens on every path
 * but the OpenAPI document. {@code vmigrate.auth.allow-unauthenticated=true} lifts that, and then
 * only for clients on the loopback interface.
 */
@ServerFilter("/**")
public class BearerTokenFilter {
  private final List<byte[]> tokens;
  private final boolean allowUnauthenticated;

  public BearerTokenFilter(
      @Value("${vmigrate.auth.tokens:}") List<String> tokens,
      @Value("${vmigrate.auth.allow-unauthenticated:false}") boolean allowUnauthenticated) {
    this.tokens =
        (tokens == null ? List.<String>of() : tokens)
            .stream()
                .filter(t -> t != null && !t.isBlank())
                .map(t -> t.trim().getBytes(StandardCharsets.UTF_8))
                .toList();
    this.allowUnauthenticated = allowUnauthenticated;
  }

  /** Whether at least one token is configured, so a client off this machine can get in. */
  public boolean hasTokens() {
    return !tokens.isEmpty();
  }

  @RequestFilter
  @Nullable
  public HttpResponse<?> check(HttpRequest<?> request) {
    if (request.getPath().equals("/openapi.yml")) {
      return null;
    }
    InetSocketAddress remote = request.getRemoteAddress();
    String problem =
        decide(
            request.getHeaders().get(HttpHeaders.AUTHORIZATION),
            remote == null ? null : remote.getAddress());
    if (problem == null) {
      return null;
    }
    return HttpResponse.status(HttpStatus.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .contentType(ApiError.MEDIA_TYPE)
        .body(new ApiError(401, "Authorization", problem, "bearer-token", null, null));
  }

  /** Null when the request may pass, else what is wrong with its credentials. */
  public String decide(@Nullable String authorization, @Nullable InetAddress remote) {
    if (authorization == null) {
      if (allowUnauthenticated && remote != null && remote.isLoopbackAddress()) {
        return null;
      }
      return "Authorization: a bearer token is required";
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "Authorization: expected the 'Bearer' scheme";
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] t : tokens) {
      ok |= MessageDigest.isEqual(t, given); // constant time, and no early exit
    }
    return ok ? null : "Authorization: unknown bearer token";
  }
}
