package dev.vmigrate.api.temporal;

import dev.vmigrate.api.ledger.JdbcLedger;
import dev.vmigrate.request.LedgerActivities;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.temporal.worker.WorkerFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link LedgerActivities} on {@link LedgerActivities#TASK_QUEUE} from this process, the one
 * that owns the database. A worker factory accepts no new workers once started, so when other
 * workers share the factory in one process set {@code vmigrate.ledger-worker.start-factory=false}
 * and start it after registering them; {@code vmigrate.ledger-worker.enabled=false} turns it off.
 * An unreachable Temporal server does not stop the API: the start is retried in the background.
 */
@Singleton
@Requires(property = "vmigrate.ledger-worker.enabled", notEquals = "false")
public class LedgerWorker implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWorker.class);

  private final WorkerFactory factory;
  private final JdbcLedger ledger;
  private final boolean startFactory;
  private final ScheduledExecutorService retry =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ledger-worker-start");
            t.setDaemon(true);
            return t;
          });

  public LedgerWorker(
      WorkerFactory factory,
      JdbcLedger ledger,
      @Value("${vmigrate.ledger-worker.start-factory:true}") boolean startFactory) {
    this.factory = factory;
    this.ledger = ledger;
    this.startFactory = startFactory;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    factory.newWorker(LedgerActivities.TASK_QUEUE).registerActivitiesImplementations(ledger);
    if (startFactory) {
      retry.execute(this::start);
    }
  }

  private void start() {
    try {
      factory.start();
      LOG.info("ledger worker polling task queue {}", LedgerActivities.TASK_QUEUE);
    } catch (RuntimeException e) {
      LOG.warn("cannot start the ledger worker yet ({}); retrying in 10 s", e.toString());
      retry.schedule(this::start, 10, TimeUnit.SECONDS);
    }
  }

  @PreDestroy
  void stop() {
    retry.shutdownNow();
  }
}
