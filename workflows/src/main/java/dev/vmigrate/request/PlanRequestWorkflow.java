package dev.vmigrate.request;

import dev.vmigrate.admission.ResourceLoad;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Runs the approved VMs of one request as child VM migrations under admission control that queues
 * rather than fails. Workflow id: "request-" + request id.
 */
@WorkflowInterface
public interface PlanRequestWorkflow {

  @WorkflowMethod(name = "PlanRequest")
  RequestProgress run(RequestInput input);

  /** Stops admitting new VMs; running migrations continue. */
  @SignalMethod(name = "pause")
  void pause();

  @SignalMethod(name = "resume")
  void resume();

  /** Stops admitting and cancels running migrations, which roll back. */
  @SignalMethod(name = "cancel")
  void cancel();

  @QueryMethod(name = "progress")
  RequestProgress progress();

  /**
   * Admission control's load per resource (host, vMotion network, datastore, vCenter, the request's
   * own ceiling): queued and running migrations and the cost in use against each limit. Read by the
   * metrics endpoint; a query adds nothing to the history.
   */
  @QueryMethod(name = "admission")
  List<ResourceLoad> admission();
}
