package dev.vmigrate.server;

import dev.vmigrate.api.temporal.LedgerWorker;
import dev.vmigrate.worker.MigrationWorkers;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers every worker this process serves on the one worker factory, then starts it, once: a
 * factory takes no new workers after it has started, so registration and start are kept in one
 * place instead of each part deciding whether it is the last. Which workers there are follows the
 * configuration ({@code vmigrate.worker.enabled}, {@code vmigrate.ledger-worker.enabled}).
 */
@Singleton
public class TemporalWorkers {
  private static final Logger log = LoggerFactory.getLogger(TemporalWorkers.class);

  private final WorkerFactory factory;
  private final Optional<MigrationWorkers> migrations;
  private final Optional<LedgerWorker> ledger;
  private boolean started;

  public TemporalWorkers(
      WorkerFactory factory, Optional<MigrationWorkers> migrations, Optional<LedgerWorker> ledger) {
    this.factory = factory;
    this.migrations = migrations;
    this.ledger = ledger;
  }

  /**
   * Stops polling before the context closes the client's channel under the pollers, which would
   * otherwise each log a "Channel shutdown invoked" failure on the way out. A graceful shutdown
   * lets running activities finish but waits for each long poll to come back (up to a minute on an
   * idle queue), so after {@code grace} the polls are cancelled: an activity still running is
   * retried by another attempt, as after any crash.
   */
  public synchronized void stop(Duration grace) {
    if (!started || factory.isTerminated()) {
      return;
    }
    factory.shutdown();
    factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      factory.shutdownNow();
      factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.info("Temporal workers stopped (terminated: {})", factory.isTerminated());
  }

  /** Registers the configured workers and starts polling; a second call does nothing. */
  public synchronized void start() {
    if (started) {
      return;
    }
    migrations.ifPresent(m -> m.registerOn(factory));
    ledger.ifPresent(l -> l.registerOn(factory));
    factory.start();
    started = true;
    log.info(
        "Temporal workers polling (migration worker: {}, ledger worker: {})",
        migrations.isPresent() ? "on" : "off",
        ledger.isPresent() ? "on" : "off");
  }
}
