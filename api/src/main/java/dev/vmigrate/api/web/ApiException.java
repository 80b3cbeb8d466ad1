package dev.vmigrate.api.web;

import io.micronaut.http.HttpStatus;

/**
 * Bad input or a conflicting state, answered as a 4xx (or 503) with a JSON body that names the
 * offending field.
 */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String field;

  public ApiException(HttpStatus status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public static ApiException badRequest(String field, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, field, message);
  }

  public static ApiException notFound(String field, String message) {
    return new ApiException(HttpStatus.NOT_FOUND, field, message);
  }

  public static ApiException conflict(String field, String message) {
    return new ApiException(HttpStatus.CONFLICT, field, message);
  }

  public HttpStatus status() {
    return status;
  }

  public String field() {
    return field;
  }
}
