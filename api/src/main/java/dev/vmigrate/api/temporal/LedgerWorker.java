package dev.vmigrate.api.temporal;

import dev.vmigrate.api.ledger.JdbcLedger;
import dev.vmigrate.request.LedgerActivities;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

/**
 * Serves {@link LedgerActivities} on {@link LedgerActivities#TASK_QUEUE} from this process, the one
 * that owns the database. Disable with {@code vmigrate.ledger-worker.enabled=false} when another
 * process registers it on the same factory.
 */
@Singleton
@Requires(property = "vmigrate.ledger-worker.enabled", notEquals = "false")
public class LedgerWorker implements ApplicationEventListener<ServerStartupEvent> {
  private final WorkerFactory factory;
  private final JdbcLedger ledger;

  public LedgerWorker(WorkerFactory factory, JdbcLedger ledger) {
    this.factory = factory;
    this.ledger = ledger;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    factory.newWorker(LedgerActivities.TASK_QUEUE).registerActivitiesImplementations(ledger);
    factory.start();
  }
}
