package dev.vmigrate.server.simulation;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import java.time.Duration;

/**
 * Schedules the workflows' activities without a heartbeat timeout. In a simulation, time jumps
 * ahead while an activity waits, but the SDK sends heartbeats at most every few seconds of real
 * time, so a heartbeat timeout would expire although the activity is alive. Heartbeat timeouts
 * exist to notice a dead worker, which a simulation in one process does not have. Applied to the
 * simulation's workers only; the workflows' code is the production code, unchanged.
 */
final class WithoutHeartbeatTimeouts extends WorkerInterceptorBase {

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outbound) {
        super.init(
            new WorkflowOutboundCallsInterceptorBase(outbound) {
              @Override
              public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
                ActivityOptions options =
                    ActivityOptions.newBuilder(input.getOptions())
                        .setHeartbeatTimeout(Duration.ZERO)
                        .build();
                return super.executeActivity(
                    new ActivityInput<>(
                        input.getActivityName(),
                        input.getResultClass(),
                        input.getResultType(),
                        input.getArgs(),
                        options,
                        input.getHeader()));
              }
            });
      }
    };
  }
}
