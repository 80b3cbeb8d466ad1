package dev.vmigrate.api.temporal;

import dev.vmigrate.api.ledger.JdbcLedger;
import dev.vmigrate.request.LedgerActivities;
import io.micronaut.context.annotation.Requires;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

/**
 * Serves {@link LedgerActivities} on {@link LedgerActivities#TASK_QUEUE} from the process that owns
 * the database; {@code vmigrate.ledger-worker.enabled=false} turns it off. The process that owns
 * the worker factory registers it before starting the factory.
 */
@Singleton
@Requires(property = "vmigrate.ledger-worker.enabled", notEquals = "false")
public class LedgerWorker {
  private final JdbcLedger ledger;

  public LedgerWorker(JdbcLedger ledger) {
    this.ledger = ledger;
  }

  /** Adds the ledger's worker to a factory that has not started yet. */
  public void registerOn(WorkerFactory factory) {
    factory.newWorker(LedgerActivities.TASK_QUEUE).registerActivitiesImplementations(ledger);
  }
}
