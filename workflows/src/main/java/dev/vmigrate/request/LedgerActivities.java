package dev.vmigrate.request;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The API's ledger of requests and migrations, which outlives Temporal's retention and serves lists
 * without Temporal's visibility API. Implemented by the API process on the task queue {@link
 * #TASK_QUEUE}. Every method is idempotent: it sets state rather than appending.
 */
@ActivityInterface
public interface LedgerActivities {

  String TASK_QUEUE = "vmigrate-ledger";

  /** A page of the request's approved VMs, in ledger order. */
  @ActivityMethod(name = ActivityNames.LOAD_VM_ORDERS)
  List<VmOrder> loadVmOrders(String requestId, int offset, int limit);

  /**
   * Sets one VM's state in the request.
   *
   * @param migrationId the VM migration's workflow id, or null before it started
   * @param message what an operator reads (an error, "skipped: already migrated", ...)
   */
  @ActivityMethod(name = ActivityNames.RECORD_VM_STATE)
  void recordVmState(
      String requestId, String vmId, VmTaskState state, String migrationId, String message);

  /**
   * Sets the request's state (active, finished) and status ("Ok", "Warn", "Error").
   *
   * @param message a summary line
   */
  @ActivityMethod(name = ActivityNames.RECORD_REQUEST_STATE)
  void recordRequestState(String requestId, RequestState state, String status, String message);
}
