package dev.vmigrate.activity.impl;

import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.HookDestinationPolicy;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * POSTs a hook's JSON, only to destinations the {@link HookDestinationPolicy} allows: every name is
 * resolved once per call, every address it resolves to is checked, and the connection goes to those
 * addresses only (the HTTP client asks this class's resolver, never the system's, so a name cannot
 * resolve to a checked address for the check and another one for the connection). Redirects are not
 * followed: a 3xx answer is a failed call. The hook's credentials, when the plan names a secret,
 * come from the worker's configuration ({@link HookSecrets}) as an Authorization header; they
 * appear in no message. Thread-safe.
 */
public final class HookCalls {
  private static final MediaType JSON = MediaType.get("application/json");

  /** A destination the policy refused at call time; an UnknownHostException for the client. */
  static final class Refused extends UnknownHostException {
    Refused(String message) {
      super(message);
    }
  }

  private final HookDestinationPolicy policy;
  private final HookSecrets secrets;
  private final OkHttpClient http;

  public HookCalls(HookDestinationPolicy policy, HookSecrets secrets, Duration timeout) {
    this.policy = policy;
    this.secrets = secrets;
    this.http =
        new OkHttpClient.Builder()
            .dns(this::lookup)
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(timeout)
            .callTimeout(timeout)
            .build();
  }

  /** Refuses every internal destination and knows no secret. */
  public static HookCalls strict(Duration timeout) {
    return new HookCalls(HookDestinationPolicy.strict(), HookSecrets.NONE, timeout);
  }

  private List<InetAddress> lookup(String host) throws UnknownHostException {
    try {
      return policy.resolve(host);
    } catch (HookDestinationPolicy.RefusedDestination e) {
      throw new Refused(e.getMessage());
    }
  }

  /**
   * POSTs the JSON to each URL in turn, with the idempotency key as a header when there is one and
   * the secret's Authorization header when the plan names one; the first that fails fails the call
   * naming the URL without its query. A refused destination or an unknown secret is not retried: a
   * retry would be refused again.
   */
  public void send(
      List<String> urls, String event, String json, String idempotencyKey, String secret) {
    Optional<String> authorization = Optional.empty();
    if (secret != null) {
      try {
        authorization = Optional.of(secrets.authorization(secret));
      } catch (IllegalArgumentException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            event + " webhooks: " + e.getMessage(), FailureTypes.INVALID_REQUEST);
      } catch (IOException e) {
        throw ApplicationFailure.newFailure(
            event + " webhooks: the secret '" + secret + "' cannot be read: " + e.getMessage(),
            FailureTypes.TRANSIENT);
      }
    }
    for (String url : urls) {
      String shown = redact(url);
      Optional<String> problem = policy.problem(url);
      if (problem.isPresent()) {
        throw ApplicationFailure.newNonRetryableFailure(
            event + " webhook " + shown + " refused: " + problem.get(),
            FailureTypes.INVALID_REQUEST);
      }
      int status;
      try (Response response =
          http.newCall(request(url, json, idempotencyKey, authorization)).execute()) {
        status = response.code();
      } catch (Refused e) {
        throw ApplicationFailure.newNonRetryableFailure(
            event + " webhook " + shown + " refused: " + e.getMessage(),
            FailureTypes.INVALID_REQUEST);
      } catch (IOException | IllegalArgumentException e) {
        throw ApplicationFailure.newFailure(
            event + " webhook " + shown + " failed: " + e.getClass().getSimpleName(),
            FailureTypes.TRANSIENT);
      }
      if (status < 200 || status > 299) {
        throw ApplicationFailure.newFailure(
            event + " webhook " + shown + " answered HTTP " + status, FailureTypes.TRANSIENT);
      }
    }
  }

  private static Request request(
      String url, String json, String idempotencyKey, Optional<String> authorization) {
    Request.Builder request =
        new Request.Builder()
            .url(url)
            // Bytes: OkHttp would add "; charset=utf-8" to a string body's content type.
            .post(RequestBody.create(json.getBytes(StandardCharsets.UTF_8), JSON));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    authorization.ifPresent(a -> request.header("Authorization", a));
    return request.build();
  }

  /** The URL without user info and query, which may carry secrets, for messages. */
  static String redact(String url) {
    try {
      URI u = URI.create(url);
      return u.getScheme()
          + "://"
          + HookDestinationPolicy.host(u)
          + (u.getPort() < 0 ? "" : ":" + u.getPort())
          + (u.getPath() == null ? "" : u.getPath());
    } catch (IllegalArgumentException e) {
      return "<invalid webhook URL>";
    }
  }
}
