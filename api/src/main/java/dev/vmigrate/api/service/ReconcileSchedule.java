package dev.vmigrate.api.service;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RequestReconciler} at start and then every {@code vmigrate.reconcile.interval}, in
 * the process that owns the API's database (a worker-only process has none).
 */
@Singleton
@Requires(property = "vmigrate.reconcile.enabled", notEquals = "false")
@Requires(property = "vmigrate.ledger-worker.enabled", notEquals = "false")
public class ReconcileSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileSchedule.class);
  private final RequestReconciler reconciler;

  public ReconcileSchedule(RequestReconciler reconciler) {
    this.reconciler = reconciler;
  }

  @Scheduled(
      initialDelay = "${vmigrate.reconcile.initial-delay:5s}",
      fixedDelay = "${vmigrate.reconcile.interval:1m}")
  void reconcile() {
    try {
      int corrected = reconciler.reconcileAll().size();
      if (corrected > 0) {
        LOG.info("reconciliation corrected {} requests", corrected);
      }
    } catch (RuntimeException e) {
      // The next round tries again; one bad round must not stop the schedule.
      LOG.warn("reconciliation failed: {}", e.toString());
    }
  }
}
