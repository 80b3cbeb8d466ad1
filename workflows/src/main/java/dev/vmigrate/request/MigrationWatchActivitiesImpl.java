package dev.vmigrate.request;

import dev.vmigrate.model.MigrationResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Optional;

/**
 * Completes asynchronously: the attempt returns at once and the result long-poll completes it, so
 * hundreds of watched migrations hold no activity slots or threads. If the worker dies the attempt
 * times out after {@link #ATTEMPT_TIMEOUT} and the retry long-polls again on any worker; a
 * migration that outlasts an attempt is simply watched again.
 */
public final class MigrationWatchActivitiesImpl implements MigrationWatchActivities {
  /** One watch attempt's start-to-close timeout, set by the request workflow. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofMinutes(10);

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
