package dev.vmigrate.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.VmOrder;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pins the Markdown a request publishes as its current details (what the Temporal UI shows), read
 * through the SDK's built-in metadata query, so that moving its rendering changes no byte of it.
 */
@Timeout(90)
class PlanRequestDetailsPinTest {

  private static String details(RequestHarness h) {
    return WorkflowStub.fromTyped(h.existing())
        .query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
        .getCurrentDetails();
  }

  @Test
  void detailsWhileRunningPausedAndFinished() throws Exception {
    List<VmOrder> plan = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      plan.add(RequestHarness.vm(i, "host-" + (i % 2), 20 + i * 37L, i % 3 != 0));
    }
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(2);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      WorkflowClient.start(h.stub()::run, RequestHarness.input(limits, plan.size()));
      h.awaitStarted(2);
      assertEquals(
          "## Request r1 (plan plan-a)\n\n"
              + "**active**, 0% done\n\n"
              + "- queued: 4\n- started, not finished: 2\n- completed: 0\n- failed: 0\n- rolled back: 0\n- skipped: 0\n\n"
              + "**Started, not finished** (2): vm5 on host-1, vm4 on host-0\n\n"
              + "**Next:** 4 VMs wait for admission; vm2 is next when its host frees.",
          details(h));

      PlanRequestWorkflow request = h.existing();
      request.pause();
      h.env.sleep(Duration.ofDays(1));
      assertEquals(
          "## Request r1 (plan plan-a)\n\n"
              + "**paused**, 33% done\n\n"
              + "- queued: 4\n- started, not finished: 0\n- completed: 2\n- failed: 0\n- rolled back: 0\n- skipped: 0\n\n"
              + "**Next:** paused; `vmigrate request resume r1` admits more VMs.",
          details(h));

      request.resume();
      h.client.newUntypedWorkflowStub("request-r1").getResult(RequestProgress.class);
      assertEquals(
          "## Request r1 (plan plan-a)\n\n"
              + "**finished**, 100% done\n\n"
              + "- queued: 0\n- started, not finished: 0\n- completed: 6\n- failed: 0\n- rolled back: 0\n- skipped: 0\n\n"
              + "**Next:** nothing; the request is finished.",
          details(h));
    }
  }
}
