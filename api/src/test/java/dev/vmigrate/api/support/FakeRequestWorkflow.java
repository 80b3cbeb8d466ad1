package dev.vmigrate.api.support;

import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.request.LedgerActivities;
import dev.vmigrate.request.PlanRequestWorkflow;
import dev.vmigrate.request.RequestInput;
import dev.vmigrate.request.RequestProgress;
import dev.vmigrate.request.VmTaskState;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal request workflow for the API tests: pages the approved VMs from the real ledger (two at
 * a time, to exercise paging), runs one child per VM, and records every state in the ledger. No
 * admission control: that is PlanRequestWorkflowImpl's job.
 */
public class FakeRequestWorkflow implements PlanRequestWorkflow {
  private final LedgerActivities ledger =
      Workflow.newActivityStub(
          LedgerActivities.class,
          ActivityOptions.newBuilder()
              .setTaskQueue(LedgerActivities.TASK_QUEUE)
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
              .build());
  private RequestProgress progress;
  private boolean cancelled;

  @Override
  public RequestProgress run(RequestInput in) {
    String id = in.requestId();
    progress =
        new RequestProgress(
            id, RequestState.ACTIVE, in.totalVms(), in.totalVms(), 0, 0, 0, 0, 0, 0);
    if (in.windowStart() != null
        && in.windowStart().toEpochMilli() > Workflow.currentTimeMillis()) {
      // Like the real workflow: a durable timer that a cancel interrupts.
      ledger.recordRequestState(
          id, RequestState.ACTIVE, "Ok", "waits for its window, starts at " + in.windowStart());
      Workflow.await(
          Duration.ofMillis(in.windowStart().toEpochMilli() - Workflow.currentTimeMillis()),
          () -> cancelled);
      if (cancelled) {
        ledger.recordRequestState(
            id, RequestState.FINISHED, "Error", "cancelled before its window opened");
        return progress;
      }
    }
    ledger.recordRequestState(id, RequestState.ACTIVE, "Ok", "running");
    List<VmOrder> orders = new ArrayList<>();
    for (int off = 0; ; ) {
      List<VmOrder> page = ledger.loadVmOrders(id, off, 2);
      if (page.isEmpty()) {
        break;
      }
      orders.addAll(page);
      off += page.size();
    }
    List<Promise<MigrationResult>> results = new ArrayList<>();
    for (VmOrder o : orders) {
      String migrationId = o.migrationId(in.mapping().sourceVcenter());
      VmMigrationWorkflow child =
          Workflow.newChildWorkflowStub(
              VmMigrationWorkflow.class,
              ChildWorkflowOptions.newBuilder().setWorkflowId(migrationId).build());
      results.add(
          Async.function(
              child::migrate,
              new MigrationRequest(o.vmId(), in.mapping(), in.options(), in.planName(), id)));
      Workflow.getWorkflowExecution(child).get();
      ledger.recordVmState(id, o.vmId(), VmTaskState.STARTED, migrationId, "migrating");
    }
    int rolledBack = 0;
    for (int i = 0; i < orders.size(); i++) {
      MigrationResult r = results.get(i).get();
      VmTaskState s =
          r.state() == MigrationState.COMPLETED ? VmTaskState.COMPLETED : VmTaskState.ROLLED_BACK;
      rolledBack += s == VmTaskState.ROLLED_BACK ? 1 : 0;
      ledger.recordVmState(id, orders.get(i).vmId(), s, null, s.name().toLowerCase());
    }
    ledger.recordRequestState(
        id, RequestState.FINISHED, rolledBack > 0 ? "Warn" : "Ok", orders.size() + " VMs done");
    return progress;
  }

  @Override
  public void pause() {
    steer(RequestState.PAUSED);
  }

  @Override
  public void resume() {
    steer(RequestState.ACTIVE);
  }

  @Override
  public void cancel() {
    cancelled = true;
    steer(RequestState.CANCELLING);
  }

  // Only the state changes: enough for the API tests to see that the signal arrived.
  private void steer(RequestState state) {
    RequestProgress p = progress;
    progress =
        new RequestProgress(
            p.requestId(),
            state,
            p.total(),
            p.queued(),
            p.running(),
            p.completed(),
            p.failed(),
            p.rolledBack(),
            p.skipped(),
            p.percent());
  }

  @Override
  public RequestProgress progress() {
    return progress;
  }

  @Override
  public List<dev.vmigrate.admission.ResourceLoad> admission() {
    return List.of();
  }
}
