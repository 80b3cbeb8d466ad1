package dev.vmigrate.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of every error answer, served as {@code application/problem+json} (RFC 9457): the
 * standard members {@code title}, {@code status} and {@code detail}, and vmigrate's own: the {@code
 * field} at fault, the {@code rule} it broke, and for an import or a malformed body the {@code
 * line} and {@code column} of the value. {@code message} repeats {@code detail} for clients written
 * against the earlier shape.
 *
 * @param title the HTTP status's reason phrase, such as "Bad Request"
 * @param status HTTP status code
 * @param detail what is wrong, naming the field
 * @param field the offending field (JSON path such as {@code vms[2].name}, {@code body}, a query
 *     parameter or a header), or absent
 * @param rule the rule broken, such as {@code max-length}, {@code unknown-field}, {@code type}
 * @param line the line of the value in the body or the imported file, 1-based
 * @param column the column of the value on that line, 1-based (for CSV: the field's number)
 * @param message the same as {@code detail}
 */
@Introspected
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "An error answer (application/problem+json)")
public record ApiError(
    String title,
    int status,
    String detail,
    @Nullable String field,
    @Nullable String rule,
    @Nullable Integer line,
    @Nullable Integer column,
    String message) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public ApiError(
      int status,
      @Nullable String field,
      String message,
      @Nullable String rule,
      @Nullable Integer line,
      @Nullable Integer column) {
    this(titleOf(status), status, message, field, rule, line, column, message);
  }

  public ApiError(int status, @Nullable String field, String message) {
    this(status, field, message, null, null, null);
  }

  static String titleOf(int status) {
    try {
      return HttpStatus.valueOf(status).getReason();
    } catch (IllegalArgumentException e) {
      return "HTTP " + status;
    }
  }
}
