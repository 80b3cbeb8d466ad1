package dev.vmigrate.request;

import dev.vmigrate.model.MigrationResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.WorkflowClient;
import java.util.Optional;

/**
 * Completes asynchronously: the attempt returns at once and the result long-poll completes it, so
 * hundreds of watched migrations hold no activity slots or threads. If the worker dies the attempt
 * times out (start-to-close) and the retry long-polls again.
 */
public final class MigrationWatchActivitiesImpl implements MigrationWatchActivities {

  private final WorkflowClient client;

  /**
   * @param client the worker's client, for long-polling results and completing the activity
   */
  public MigrationWatchActivitiesImpl(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public MigrationOutcome awaitMigration(String migrationWorkflowId) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    byte[] token = ctx.getTaskToken();
    ctx.doNotCompleteOnReturn();
    ActivityCompletionClient completion = client.newActivityCompletionClient();
    client
        .newUntypedWorkflowStub(migrationWorkflowId, Optional.empty(), Optional.empty())
        .getResultAsync(MigrationResult.class)
        .handle(
            (result, failure) -> {
              try {
                completion.complete(token, MigrationOutcome.of(result, failure));
              } catch (RuntimeException lateOrCancelled) {
                // The attempt timed out or the request run closed; a retry (if any) watches again.
              }
              return null;
            });
    return null;
  }
}
