package dev.vmigrate.api.service;

/**
 * What the services refuse, independent of HTTP: each kind names the offending field (a JSON path
 * such as {@code vms[2].name}, or a dependency such as {@code temporal}) and a message that names
 * it too. The web layer maps the kinds to status codes in one place.
 */
public abstract sealed class ServiceException extends RuntimeException {
  private final String field;

  private ServiceException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }

  /** The input is invalid: the field's value cannot be accepted. */
  public static final class Invalid extends ServiceException {
    public Invalid(String field, String message) {
      super(field, message);
    }
  }

  /** What the field names does not exist. */
  public static final class NotFound extends ServiceException {
    public NotFound(String field, String message) {
      super(field, message);
    }
  }

  /** The request conflicts with the stored state (a duplicate, a resource in use, a state). */
  public static final class Conflict extends ServiceException {
    public Conflict(String field, String message) {
      super(field, message);
    }
  }

  /** A system the service needs (vCenter, Temporal) did not answer; nothing was changed. */
  public static final class Unavailable extends ServiceException {
    public Unavailable(String field, String message) {
      super(field, message);
    }
  }
}
