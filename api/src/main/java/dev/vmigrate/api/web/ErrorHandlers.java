package dev.vmigrate.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.vmigrate.api.service.ServiceException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns exceptions into {@link ApiError} bodies. */
public final class ErrorHandlers {
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
      if (cause instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
        String field = path(jme);
        return respond(
            HttpStatus.BAD_REQUEST, field, field + ": " + firstLine(jme.getOriginalMessage()));
      }
      String field = e.getArgument().getName();
      return respond(
          HttpStatus.BAD_REQUEST, field, field + ": " + firstLine(String.valueOf(cause)));
    }
  }

  /** Malformed JSON that never reached binding. */
  @Produces
  @Singleton
  @Requires(classes = {JsonProcessingException.class, ExceptionHandler.class})
  @Replaces(JsonExceptionHandler.class)
  public static class JsonHandler
      implements ExceptionHandler<JsonProcessingException, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, JsonProcessingException e) {
      if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
        String field = path(jme);
        return respond(
            HttpStatus.BAD_REQUEST, field, field + ": " + firstLine(jme.getOriginalMessage()));
      }
      return respond(
          HttpStatus.BAD_REQUEST,
          "body",
          "body: malformed JSON: " + firstLine(e.getOriginalMessage()));
    }
  }

  static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
