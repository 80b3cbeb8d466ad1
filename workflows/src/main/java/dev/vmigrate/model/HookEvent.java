package dev.vmigrate.model;

/**
 * What a post-migration or post-rollback hook reports besides the migration's context, chosen by
 * the workflow so that every retry of the call sends the same.
 *
 * @param event {@link #POST_MIGRATION} or {@link #POST_ROLLBACK}
 * @param idempotencyKey sent as the {@code Idempotency-Key} header: the migration id, the
 *     workflow's first run id and the event, the same on every retry and distinct for a later
 *     migration of the same VM under the same workflow id
 * @param result COMPLETED or ROLLED_BACK
 * @param error the error that caused the rollback, or null
 */
public record HookEvent(String event, String idempotencyKey, MigrationState result, String error) {

  public static final String POST_MIGRATION = "post-migration";
  public static final String POST_ROLLBACK = "post-rollback";

  public static HookEvent of(
      String event, String migrationId, String runId, MigrationState result, String error) {
    return new HookEvent(event, migrationId + ":" + runId + ":" + event, result, error);
  }
}
