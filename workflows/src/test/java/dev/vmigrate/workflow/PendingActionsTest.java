package dev.vmigrate.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vmigrate.model.PendingAction;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.ServerFailureInfo;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import org.junit.jupiter.api.Test;

/** The last failure of a retried action, as status views show it. */
class PendingActionsTest {
  private static final Failure VCENTER =
      Failure.newBuilder()
          .setMessage("SystemError: A general system error occurred: vMotion failed")
          .setApplicationFailureInfo(ApplicationFailureInfo.newBuilder().setType("InvalidState"))
          .build();

  private static PendingActivityInfo.Builder initiateSource() {
    return PendingActivityInfo.newBuilder()
        .setActivityType(ActivityType.newBuilder().setName("InitiateSource"))
        .setAttempt(2)
        .setMaximumAttempts(10);
  }

  @Test
  void theFailureTheServerReplacedIsReadFromItsCause() {
    Failure replaced =
        Failure.newBuilder()
            .setMessage("Failure exceeds size limit.")
            .setServerFailureInfo(ServerFailureInfo.newBuilder().setNonRetryable(false))
            .setCause(VCENTER)
            .build();
    PendingAction a = PendingActions.of(initiateSource().setLastFailure(replaced).build());
    assertEquals(VCENTER.getMessage(), a.lastFailure());
    assertEquals(2, a.attempt());
  }

  @Test
  void aFailureThatFitIsShownAsItIs() {
    assertEquals(
        VCENTER.getMessage(),
        PendingActions.of(initiateSource().setLastFailure(VCENTER).build()).lastFailure());
    assertNull(PendingActions.of(initiateSource().build()).lastFailure());
  }

  @Test
  void aReplacedFailureWithoutCauseSaysWhatTheServerSaid() {
    Failure replaced = Failure.newBuilder().setMessage("Failure exceeds size limit.").build();
    assertEquals(
        "Failure exceeds size limit.",
        PendingActions.of(initiateSource().setLastFailure(replaced).build()).lastFailure());
  }
}
