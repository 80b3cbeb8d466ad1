package dev.vmigrate.activity.impl;

import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.vsphere.VsphereException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * Maps gateway failures ({@link VsphereException}) to the typed application failures, which are
 * compact: vCenter's fault name and message, the fault name as the failure's detail, whether it is
 * retryable as {@link dev.vmigrate.vsphere.vim25.Faults} classifies it, and no Java stack trace or
 * cause. Temporal's server replaces a failure larger than its limit (a few KB, stack traces
 * included) with "Failure exceeds size limit.", which would hide vCenter's fault from the operator.
 */
final class Failures {
  private Failures() {}

  /** The longest message sent; vCenter's messages are short, but nothing here is unbounded. */
  static final int MAX_MESSAGE = 1024;

  private static final StackTraceElement[] NO_STACK = new StackTraceElement[0];

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
    String message = bounded(message(e));
    return compact(
        e.retryable()
            ? ApplicationFailure.newFailure(message, type, e.fault())
            : ApplicationFailure.newNonRetryableFailure(message, type, e.fault()));
  }

  /** The failure without its Java stack trace, which only the worker's log needs. */
  static ApplicationFailure compact(ApplicationFailure f) {
    f.setStackTrace(NO_STACK);
    return f;
  }

  static String bounded(String message) {
    return message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE - 1) + "\u2026";
  }

  /** "Fault: message", once: a vim25 fault's message already starts with its type. */
  static String message(VsphereException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith(e.fault() + ":") ? m : e.fault() + ": " + m;
  }

  static ApplicationFailure nonRetryable(String type, String message) {
    return compact(ApplicationFailure.newNonRetryableFailure(bounded(message), type));
  }

  /** The failure of an activity whose thread was interrupted while it waited. */
  static ApplicationFailure interrupted() {
    return compact(ApplicationFailure.newFailure("interrupted", FailureTypes.TRANSIENT));
  }
}
