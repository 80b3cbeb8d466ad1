package dev.vmigrate.activity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.vim25.Faults;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A vCenter fault reaches Temporal's server as a failure small enough that the server keeps it (its
 * limit on an activity's failure is 4 KB by default, stack traces included), naming the fault and
 * saying vCenter's words.
 */
class FailuresTest {
  /** Temporal server's default limit.activityFailureSize.error. */
  private static final int SERVER_LIMIT = 4 * 1024;

  @Test
  void aPermanentFaultIsCompactNamedAndNotRetryable() {
    VsphereException e =
        new VsphereException(
            "SystemError",
            "SystemError: A general system error occurred: vMotion failed",
            Faults.isTransient("SystemError"),
            new IOException("deep inside the client"));
    ApplicationFailure f = Failures.failure(e);

    assertTrue(f.isNonRetryable());
    assertEquals(
        "SystemError: A general system error occurred: vMotion failed", f.getOriginalMessage());
    assertEquals("SystemError", f.getDetails().get(String.class));
    assertNull(f.getCause(), "the Java cause stays in the worker");
    Failure sent = DefaultDataConverter.newDefaultInstance().exceptionToFailure(f);
    assertEquals("", sent.getStackTrace());
    assertFalse(sent.hasCause());
    assertEquals(f.getType(), sent.getApplicationFailureInfo().getType());
    assertTrue(sent.getApplicationFailureInfo().getNonRetryable());
    assertTrue(sent.getSerializedSize() < SERVER_LIMIT, sent.getSerializedSize() + " bytes");
  }

  @Test
  void aTransientFaultIsRetryableAndAHugeMessageIsBounded() {
    String huge = "x".repeat(100_000);
    ApplicationFailure f = Failures.failure(Faults.toException("HostCommunication", huge));
    assertFalse(f.isNonRetryable());
    assertEquals(FailureTypes.TRANSIENT, f.getType());
    assertEquals(Failures.MAX_MESSAGE, f.getOriginalMessage().length());
    assertTrue(f.getOriginalMessage().startsWith("HostCommunication: xxx"));
    Failure sent = DefaultDataConverter.newDefaultInstance().exceptionToFailure(f);
    assertTrue(sent.getSerializedSize() < SERVER_LIMIT, sent.getSerializedSize() + " bytes");
  }

  @Test
  void aTaskFailedVerdictIsCompactToo() {
    Failure sent =
        DefaultDataConverter.newDefaultInstance()
            .exceptionToFailure(Failures.nonRetryable(FailureTypes.TASK_FAILED, "y".repeat(9000)));
    assertEquals("", sent.getStackTrace());
    assertTrue(sent.getSerializedSize() < SERVER_LIMIT, sent.getSerializedSize() + " bytes");
  }
}
