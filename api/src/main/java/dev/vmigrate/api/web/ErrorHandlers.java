package dev.vmigrate.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vmigrate.api.service.DatabaseErrors;
import dev.vmigrate.api.service.ServiceException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.reflect.exception.InstantiationException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JacksonExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Singleton;
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
          ServiceException.Unavailable.class, HttpStatus.SERVICE_UNAVAILABLE);

  private ErrorHandlers() {}

  static HttpResponse<ApiError> respond(HttpStatus status, String field, String message) {
    return HttpResponse.<ApiError>status(status)
        .body(new ApiError(status.getCode(), field, message));
  }

  /** The services' refusals: the one place that gives each kind its HTTP status. */
  @Produces
  @Singleton
  @Requires(classes = {ServiceException.class, ExceptionHandler.class})
  public static class ServiceExceptionHandler
      implements ExceptionHandler<ServiceException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ServiceException e) {
      return respond(STATUS.get(e.getClass()), e.field(), e.getMessage());
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
      return respond(
          HttpStatus.BAD_REQUEST,
          field,
          field + ": " + firstLine(cause == null ? null : cause.getMessage()));
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
      return respond(HttpStatus.BAD_REQUEST, "body", "body: malformed JSON");
    }
  }

  /**
   * A JSON scalar where a body, or a part of it, must be an object ({@code [1]}, {@code "vms":
   * [5]}): Micronaut's record creator refuses it with its own exception, outside Jackson's.
   */
  @Produces
  @Singleton
  @Requires(classes = {InstantiationException.class, ExceptionHandler.class})
  public static class InstantiationHandler
      implements ExceptionHandler<InstantiationException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, InstantiationException e) {
      boolean readingJson =
          Arrays.stream(e.getStackTrace())
              .anyMatch(f -> f.getClassName().startsWith("com.fasterxml.jackson.databind."));
      if (readingJson) {
        return respond(
            HttpStatus.BAD_REQUEST,
            "body",
            "body: a value is of the wrong JSON type (a number or string where an object belongs)");
      }
      LOG.error("{} {}: cannot create an object", request.getMethodName(), request.getPath(), e);
      return respond(
          HttpStatus.INTERNAL_SERVER_ERROR, null, "internal error; the server log has the details");
    }
  }

  static HttpResponse<ApiError> json(JsonProcessingException e) {
    return respond(HttpStatus.BAD_REQUEST, JsonProblems.field(e), JsonProblems.message(e));
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
              + " changed");
    }
    if (state.startsWith("23")) {
      return respond(
          HttpStatus.CONFLICT,
          null,
          "conflict: the change refers to something missing or in use; nothing was changed");
    }
    if (state.startsWith("22")) {
      return respond(
          HttpStatus.BAD_REQUEST,
          null,
          "invalid: a value does not fit where it is stored (too long or out of range); nothing"
              + " was changed");
    }
    return respond(
        HttpStatus.INTERNAL_SERVER_ERROR,
        null,
        "database: the request failed; the server log has the details");
  }

  static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
