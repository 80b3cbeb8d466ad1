package dev.vmigrate.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vmigrate.api.service.DatabaseErrors;
import dev.vmigrate.api.service.ServiceException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.reflect.exception.InstantiationException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JacksonExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedArgumentHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.transaction.exceptions.TransactionException;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns exceptions into {@link ApiError} bodies. */
public final class ErrorHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

  /** The HTTP status of each kind of {@link ServiceException}. */
  private static final Map<Class<? extends ServiceException>, HttpStatus> STATUS =
      Map.of(
          ServiceException.Invalid.class, HttpStatus.BAD_REQUEST,
          ServiceException.NotFound.class, HttpStatus.NOT_FOUND,
          ServiceException.Conflict.class, HttpStatus.CONFLICT,
          ServiceException.Unavailable.class, HttpStatus.SERVICE_UNAVAILABLE,
          ServiceException.Busy.class, HttpStatus.TOO_MANY_REQUESTS,
          ServiceException.Unprocessable.class, HttpStatus.UNPROCESSABLE_ENTITY);

  private ErrorHandlers() {}

  static final MediaType PROBLEM = MediaType.of(ApiError.MEDIA_TYPE);

  static HttpResponse<ApiError> respond(HttpStatus status, String field, String message) {
    return respond(status, field, message, null, null, null);
  }

  static MutableHttpResponse<ApiError> respond(
      HttpStatus status, String field, String message, String rule, Integer line, Integer column) {
    return HttpResponse.<ApiError>status(status)
        .contentType(PROBLEM)
        .body(new ApiError(status.getCode(), field, message, rule, line, column));
  }

  /** The rule a kind of refusal breaks when the service does not name a narrower one. */
  private static final Map<Class<? extends ServiceException>, String> RULE =
      Map.of(
          ServiceException.Invalid.class, "invalid",
          ServiceException.NotFound.class, "not-found",
          ServiceException.Conflict.class, "conflict",
          ServiceException.Unavailable.class, "unavailable",
          ServiceException.Busy.class, "busy",
          ServiceException.Unprocessable.class, "unprocessable");

  /** The services' refusals: the one place that gives each kind its HTTP status. */
  @Produces
  @Singleton
  @Requires(classes = {ServiceException.class, ExceptionHandler.class})
  public static class ServiceExceptionHandler
      implements ExceptionHandler<ServiceException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ServiceException e) {
      return respond(
          STATUS.get(e.getClass()),
          e.field(),
          e.getMessage(),
          e.rule() != null ? e.rule() : RULE.get(e.getClass()),
          e.line(),
          e.column());
    }
  }

  /** A JSON body that does not bind: names the JSON path of the field that failed. */
  @Produces
  @Singleton
  @Requires(classes = {ConversionErrorException.class, ExceptionHandler.class})
  @Replaces(ConversionErrorHandler.class)
  public static class ConversionHandler
      implements ExceptionHandler<ConversionErrorException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ConversionErrorException e) {
      Throwable cause = e.getConversionError().getCause();
      if (cause instanceof JsonProcessingException jpe) {
        return json(jpe);
      }
      String field = e.getArgument().getName();
      Class<?> type = e.getArgument().getType();
      if (java.util.Collection.class.isAssignableFrom(type)
          && e.getArgument().getTypeParameters().length > 0) {
        type = e.getArgument().getTypeParameters()[0].getType();
      }
      return respond(
          HttpStatus.BAD_REQUEST,
          field,
          field + ": expected " + JsonProblems.kind(type),
          "type",
          null,
          null);
    }
  }

  /** Malformed JSON, or JSON that does not bind, as Jackson reports it. */
  @Produces
  @Singleton
  @Requires(classes = {JsonProcessingException.class, ExceptionHandler.class})
  @Replaces(JacksonExceptionHandler.class)
  public static class JsonHandler
      implements ExceptionHandler<JsonProcessingException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, JsonProcessingException e) {
      return json(e);
    }
  }

  /** The same as Micronaut wraps it when it reads a request's body. */
  @Produces
  @Singleton
  @Requires(classes = {JsonSyntaxException.class, ExceptionHandler.class})
  @Replaces(JsonExceptionHandler.class)
  public static class JsonSyntaxHandler
      implements ExceptionHandler<JsonSyntaxException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, JsonSyntaxException e) {
      if (e.getCause() instanceof JsonProcessingException jpe) {
        return json(jpe);
      }
      return respond(HttpStatus.BAD_REQUEST, "body", "body: malformed JSON", "syntax", null, null);
    }
  }

  /**
   * A JSON scalar where a body, or a part of it, must be an object ({@code [1]}, {@code "vms":
   * [5]}): Micronaut's record creator (and its validation of the creator's arguments) refuses it
   * with its own exception, outside Jackson's.
   */
  @Produces
  @Singleton
  @Requires(classes = {InstantiationException.class, ExceptionHandler.class})
  public static class InstantiationHandler
      implements ExceptionHandler<InstantiationException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, InstantiationException e) {
      return wrongShape(request, e);
    }
  }

  /** The same, as the validating record creator reports it. */
  @Produces
  @Singleton
  @Requires(classes = {ExceptionHandler.class})
  public static class IllegalArgumentHandler
      implements ExceptionHandler<IllegalArgumentException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, IllegalArgumentException e) {
      return wrongShape(request, e);
    }
  }

  /** The same, when the record creator's argument validation cannot read the value given. */
  @Produces
  @Singleton
  @Requires(classes = {jakarta.validation.ValidationException.class, ExceptionHandler.class})
  public static class ValidationHandler
      implements ExceptionHandler<jakarta.validation.ValidationException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(
        HttpRequest request, jakarta.validation.ValidationException e) {
      return wrongShape(request, e);
    }
  }

  static HttpResponse<ApiError> wrongShape(HttpRequest<?> request, RuntimeException e) {
    boolean readingJson =
        Arrays.stream(e.getStackTrace())
            .anyMatch(f -> f.getClassName().startsWith("com.fasterxml.jackson.databind."));
    if (readingJson) {
      return respond(
          HttpStatus.BAD_REQUEST,
          "body",
          "body: a value is of the wrong JSON type (a number or string where an object belongs)",
          "type",
          null,
          null);
    }
    LOG.error("{} {}: unexpected failure", request.getMethodName(), request.getPath(), e);
    return respond(
        HttpStatus.INTERNAL_SERVER_ERROR,
        null,
        "internal error; the server log has the details",
        "internal",
        null,
        null);
  }

  static HttpResponse<ApiError> json(JsonProcessingException e) {
    var at = e.getLocation();
    boolean placed = at != null && at.getLineNr() > 0;
    return respond(
        HttpStatus.BAD_REQUEST,
        JsonProblems.field(e),
        JsonProblems.message(e),
        JsonProblems.rule(e),
        placed ? at.getLineNr() : null,
        placed ? at.getColumnNr() : null);
  }

  /**
   * The backstop for what the services' own checks did not catch: the database refused a write. The
   * client learns what kind of refusal it was, never the SQL or the driver's words; the log has
   * those.
   */
  @Produces
  @Singleton
  @Requires(classes = {DataAccessException.class, ExceptionHandler.class})
  public static class DatabaseHandler
      implements ExceptionHandler<DataAccessException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, DataAccessException e) {
      return database(request, e);
    }
  }

  /** The same when the database refuses at commit. */
  @Produces
  @Singleton
  @Requires(classes = {TransactionException.class, ExceptionHandler.class})
  public static class TransactionHandler
      implements ExceptionHandler<TransactionException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, TransactionException e) {
      return database(request, e);
    }
  }

  static HttpResponse<ApiError> database(HttpRequest<?> request, RuntimeException e) {
    Optional<SQLException> sql = DatabaseErrors.sqlCause(e);
    String state = sql.map(SQLException::getSQLState).orElse("");
    // The driver's first line names the column and the constraint; the values it quotes are the
    // client's own (secrets are never stored, only references to them), the statement is not kept.
    LOG.warn(
        "{} {}: database refused: {} SQLState {}: {}",
        request.getMethodName(),
        request.getPath(),
        e.getClass().getSimpleName(),
        state,
        firstLine(sql.map(Throwable::getMessage).orElse(e.getMessage())));
    if (state.equals(DatabaseErrors.UNIQUE_VIOLATION)) {
      return respond(
          HttpStatus.CONFLICT,
          null,
          "conflict: another request stored the same name or id at the same time; nothing was"
              + " changed",
          "unique",
          null,
          null);
    }
    if (state.startsWith("23")) {
      return respond(
          HttpStatus.CONFLICT,
          null,
          "conflict: the change refers to something missing or in use; nothing was changed",
          "reference",
          null,
          null);
    }
    if (state.startsWith("22")) {
      return respond(
          HttpStatus.BAD_REQUEST,
          null,
          "invalid: a value does not fit where it is stored (too long or out of range); nothing"
              + " was changed",
          "fits-column",
          null,
          null);
    }
    return respond(
        HttpStatus.INTERNAL_SERVER_ERROR,
        null,
        "database: the request failed; the server log has the details");
  }

  /**
   * A request record or parameter that breaks one of its constraints ({@code @Size}, {@code
   * Pattern}, {@code @Min}, ...): the first violation, by field, in the same words the services use
   * ({@code name: at most 255 characters, got 256}).
   */
  @Produces
  @Singleton
  @Requires(classes = {ConstraintViolationException.class, ExceptionHandler.class})
  @Replaces(ConstraintExceptionHandler.class)
  public static class ConstraintHandler
      implements ExceptionHandler<ConstraintViolationException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ConstraintViolationException e) {
      ConstraintViolation<?> v =
          e.getConstraintViolations().stream()
              .min(java.util.Comparator.comparing(c -> fieldOf(c)))
              .orElse(null);
      if (v == null) {
        return respond(HttpStatus.BAD_REQUEST, "body", "body: invalid", "invalid", null, null);
      }
      String field = fieldOf(v);
      Violation what = Violation.of(v);
      return respond(
          HttpStatus.BAD_REQUEST, field, field + ": " + what.text(), what.rule(), null, null);
    }
  }

  /**
   * The JSON path of a violation: the method and the body parameter are dropped ({@code
   * create.body.vms[0].name} is {@code vms[0].name}); a query parameter keeps its name.
   */
  static String fieldOf(ConstraintViolation<?> v) {
    java.util.List<jakarta.validation.Path.Node> nodes = new java.util.ArrayList<>();
    v.getPropertyPath().forEach(nodes::add);
    StringBuilder out = new StringBuilder();
    String parameter = null;
    for (jakarta.validation.Path.Node n : nodes) {
      switch (n.getKind()) {
        case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {}
        case PARAMETER -> parameter = n.getName();
        default -> {
          if (n.isInIterable()) {
            out.append(n.getIndex() != null ? "[" + n.getIndex() + "]" : "[" + n.getKey() + "]");
          }
          if (n.getName() != null && !n.getName().startsWith("<")) {
            out.append(out.length() > 0 ? "." : "").append(n.getName());
          }
        }
      }
    }
    if (out.length() == 0) {
      return parameter == null ? "body" : parameter;
    }
    return out.toString();
  }

  /** A violation in the services' words, and the rule's name. */
  record Violation(String text, String rule) {
    static Violation of(ConstraintViolation<?> v) {
      var d = v.getConstraintDescriptor();
      String kind = d.getAnnotation().annotationType().getSimpleName();
      Map<String, Object> a = d.getAttributes();
      Object value = v.getInvalidValue();
      return switch (kind) {
        case "Size" -> {
          boolean text = value instanceof CharSequence;
          int size =
              text
                  ? ((CharSequence) value).length()
                  : value instanceof java.util.Collection<?> c
                      ? c.size()
                      : value instanceof Map<?, ?> m ? m.size() : -1;
          int max = (Integer) a.get("max");
          int min = (Integer) a.get("min");
          String unit = text ? " characters" : " entries";
          yield size > max
              ? new Violation(
                  "at most " + max + unit + ", got " + size, text ? "max-length" : "max-items")
              : new Violation(
                  "at least " + min + unit + ", got " + size, text ? "min-length" : "min-items");
        }
        case "NotBlank", "NotNull", "NotEmpty" -> new Violation("required", "required");
        case "Min", "PositiveOrZero", "Positive" ->
            new Violation(
                "at least "
                    + a.getOrDefault("value", kind.equals("Positive") ? 1 : 0)
                    + ", got "
                    + value,
                "minimum");
        case "Max" -> new Violation("at most " + a.get("value") + ", got " + value, "maximum");
        case "Pattern" -> new Violation(v.getMessage(), "pattern");
        default -> new Violation(v.getMessage(), kind.toLowerCase(java.util.Locale.ROOT));
      };
    }
  }

  /** A required argument that is missing, such as a body that must be given. */
  @Produces
  @Singleton
  @Requires(classes = {UnsatisfiedArgumentException.class, ExceptionHandler.class})
  @Replaces(UnsatisfiedArgumentHandler.class)
  public static class UnsatisfiedHandler
      implements ExceptionHandler<UnsatisfiedArgumentException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, UnsatisfiedArgumentException e) {
      String name = e.getArgument().getName();
      boolean body =
          e.getArgument()
              .getAnnotationMetadata()
              .hasAnnotation(io.micronaut.http.annotation.Body.class);
      String field = body ? "body" : name;
      return respond(HttpStatus.BAD_REQUEST, field, field + ": required", "required", null, null);
    }
  }

  /**
   * Micronaut's own error answers in the same shape: an unknown route (404), a method the route
   * does not take (405), a body of a media type it does not read (415), an Accept it cannot answer
   * (406), a body over the size limit (413), and anything no handler above took. A server error
   * never carries the exception's words; the log has them.
   */
  @Singleton
  @Replaces(ErrorResponseProcessor.class)
  public static class ProblemResponses implements ErrorResponseProcessor<ApiError> {
    private final io.micronaut.context.BeanProvider<io.micronaut.web.router.Router> router;

    private final int maxLine;
    private final int maxHeaders;

    ProblemResponses(
        io.micronaut.context.BeanProvider<io.micronaut.web.router.Router> router,
        @io.micronaut.context.annotation.Value(
                "${micronaut.server.netty.max-initial-line-length:4096}")
            int maxLine,
        @io.micronaut.context.annotation.Value("${micronaut.server.netty.max-header-size:8192}")
            int maxHeaders) {
      this.router = router;
      this.maxLine = maxLine;
      this.maxHeaders = maxHeaders;
    }

    /** Why Netty could not decode the request, when it could not. */
    private static Throwable decoderFailure(HttpRequest<?> request) {
      if (request instanceof io.micronaut.http.server.netty.NettyHttpRequest<?> n
          && n.getNativeRequest().decoderResult().isFailure()) {
        return n.getNativeRequest().decoderResult().cause();
      }
      return null;
    }

    /** The media types the routes at the request's method and path answer, in their order. */
    private String served(HttpRequest<?> request) {
      java.util.Set<String> types = new java.util.LinkedHashSet<>();
      router
          .get()
          .find(request.getMethod(), request.getPath(), null)
          .forEach(m -> m.getRouteInfo().getProduces().forEach(t -> types.add(t.getName())));
      return types.isEmpty() ? MediaType.APPLICATION_JSON : String.join(", ", types);
    }

    @Override
    public MutableHttpResponse<ApiError> processResponse(
        ErrorContext context, MutableHttpResponse<?> response) {
      int code = response.code();
      int answered = code;
      HttpRequest<?> request = context.getRequest();
      String rule;
      String detail;
      String field = null;
      switch (code) {
        case 404 -> {
          rule = "unknown-route";
          detail = "no such resource: " + request.getMethodName() + " " + request.getPath();
        }
        case 405 -> {
          rule = "method-not-allowed";
          detail = request.getMethodName() + " is not allowed on " + request.getPath();
        }
        case 415 -> {
          rule = "media-type";
          field = "Content-Type";
          detail =
              "Content-Type: "
                  + request.getContentType().map(MediaType::toString).orElse("none")
                  + " is not accepted here";
        }
        case 406 -> {
          rule = "not-acceptable";
          field = "Accept";
          detail =
              "Accept: "
                  + request.getHeaders().get(HttpHeaders.ACCEPT)
                  + " is not served here; this resource answers "
                  + served(request);
        }
        case 413 -> {
          // Netty refuses a long request line or header block as a "too long frame", which
          // Micronaut answers 413 as if the body were too large: name what was too long.
          Throwable cause = decoderFailure(request);
          if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
            answered = HttpStatus.REQUEST_URI_TOO_LONG.getCode();
            response.status(HttpStatus.REQUEST_URI_TOO_LONG);
            rule = "max-url-length";
            field = "URL";
            detail =
                "URL: the request line is longer than the server accepts ("
                    + maxLine
                    + " bytes); send long values in the body";
          } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
            answered = 431;
            response.status(431, "Request Header Fields Too Large");
            rule = "max-header-size";
            field = "headers";
            detail =
                "headers: the request's header fields are larger than the server accepts ("
                    + maxHeaders
                    + " bytes in all)";
          } else {
            rule = "max-size";
            field = "body";
            detail = "body: larger than the server accepts";
          }
        }
        default -> {
          if (code >= 500) {
            rule = "internal";
            detail = "internal error; the server log has the details";
            context
                .getRootCause()
                .ifPresent(
                    t ->
                        LOG.error(
                            "{} {}: {}", request.getMethodName(), request.getPath(), code, t));
          } else {
            rule = "invalid";
            Optional<String> first =
                context.getErrors().stream().findFirst().map(e -> scrubTypes(e.getMessage()));
            field = context.getErrors().stream().findFirst().flatMap(e -> e.getPath()).orElse(null);
            detail = first.orElse(ApiError.titleOf(code));
          }
        }
      }
      if (response.getHeaders().contains(HttpHeaders.ALLOW) && code == 405) {
        detail +=
            "; allowed: " + String.join(", ", response.getHeaders().getAll(HttpHeaders.ALLOW));
      }
      return response
          .contentType(PROBLEM)
          .body(new ApiError(answered, field, detail, rule, null, null));
    }
  }

  /** A message without Java type names ({@code [Integer offset]} reads {@code [offset]}). */
  static String scrubTypes(String s) {
    return firstLine(s)
        .replaceAll("\\[[A-Za-z_$][\\w$<>?, .]* (\\w+)\\]", "[$1]")
        .replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*", "a value");
  }

  static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
