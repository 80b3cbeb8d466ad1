package dev.vmigrate.activity.impl;

import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.vsphere.VsphereException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/** Maps gateway failures ({@link VsphereException}) to the typed application failures. */
final class Failures {
  private Failures() {}

  /** Runs a gateway call, turning its failure into a typed application failure. */
  static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (VsphereException e) {
      throw failure(e);
    }
  }

  static void run(Runnable action) {
    call(
        () -> {
          action.run();
          return null;
        });
  }

  static ApplicationFailure failure(VsphereException e) {
    String type;
    if (e instanceof VsphereException.NotFound) {
      type = FailureTypes.NOT_FOUND;
    } else if (e instanceof VsphereException.InvalidState) {
      type = FailureTypes.INVALID_STATE;
    } else if (e instanceof VsphereException.Authentication) {
      type = FailureTypes.AUTHENTICATION;
    } else if (e instanceof VsphereException.NoPermission) {
      type = FailureTypes.NO_PERMISSION;
    } else if (e instanceof VsphereException.InsufficientResources) {
      type = FailureTypes.INSUFFICIENT_RESOURCES;
    } else if (e instanceof VsphereException.InvalidRequest) {
      type = FailureTypes.INVALID_REQUEST;
    } else {
      type = e.retryable() ? FailureTypes.TRANSIENT : FailureTypes.INVALID_STATE;
    }
    String message = message(e);
    return e.retryable()
        ? ApplicationFailure.newFailureWithCause(message, type, e)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, type, e);
  }

  /** "Fault: message", once: a vim25 fault's message already starts with its type. */
  static String message(VsphereException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith(e.fault() + ":") ? m : e.fault() + ": " + m;
  }

  static ApplicationFailure nonRetryable(String type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  /** The failure of an activity whose thread was interrupted while it waited. */
  static ApplicationFailure interrupted() {
    return ApplicationFailure.newFailure("interrupted", FailureTypes.TRANSIENT);
  }
}
