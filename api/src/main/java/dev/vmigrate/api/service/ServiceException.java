package dev.vmigrate.api.service;

/**
 * What the services refuse, independent of HTTP: each kind names the offending field (a JSON path
 * such as {@code vms[2].name}, or a dependency such as {@code temporal}) and a message that names
 * it too; optionally the rule broken (such as {@code max-length}) and, for a value read from an
 * imported file, its line and column. The web layer maps the kinds to status codes in one place.
 */
public abstract sealed class ServiceException extends RuntimeException {
  private final String field;
  private final String rule;
  private final Integer line;
  private final Integer column;

  private ServiceException(
      String field, String message, String rule, Integer line, Integer column) {
    super(message);
    this.field = field;
    this.rule = rule;
    this.line = line;
    this.column = column;
  }

  public String field() {
    return field;
  }

  /** The rule broken, such as {@code max-length} or {@code duplicate-key}; null when unnamed. */
  public String rule() {
    return rule;
  }

  /** The 1-based line of the value in an imported file, or null. */
  public Integer line() {
    return line;
  }

  /** The 1-based column of the value on its line (for CSV, the field's number), or null. */
  public Integer column() {
    return column;
  }

  /** The input is invalid: the field's value cannot be accepted. */
  public static final class Invalid extends ServiceException {
    public Invalid(String field, String message) {
      super(field, message, null, null, null);
    }

    public Invalid(String field, String message, String rule) {
      super(field, message, rule, null, null);
    }

    /** A value of an imported file, at its line and column (either may be null). */
    public Invalid(String field, String message, String rule, Integer line, Integer column) {
      super(field, message, rule, line, column);
    }
  }

  /** What the field names does not exist. */
  public static final class NotFound extends ServiceException {
    public NotFound(String field, String message) {
      super(field, message, null, null, null);
    }
  }

  /** The request conflicts with the stored state (a duplicate, a resource in use, a state). */
  public static final class Conflict extends ServiceException {
    public Conflict(String field, String message) {
      super(field, message, null, null, null);
    }
  }

  /** A system the service needs (vCenter, Temporal) did not answer; nothing was changed. */
  public static final class Unavailable extends ServiceException {
    public Unavailable(String field, String message) {
      super(field, message, null, null, null);
    }
  }

  /**
   * The service does this kind of work one at a time and is doing it now; nothing was done, the
   * same call later may succeed.
   */
  public static final class Busy extends ServiceException {
    public Busy(String field, String message) {
      super(field, message, null, null, null);
    }
  }

  /**
   * The input is well formed and within its bounds, but the work it asks for cannot be done with it
   * (a simulation model that does not converge); the message says which values make it so.
   */
  public static final class Unprocessable extends ServiceException {
    public Unprocessable(String field, String message, String rule) {
      super(field, message, rule, null, null);
    }
  }
}
