package dev.vmigrate.worker;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Whether this process runs a Temporal worker, and how much it takes on at once.
 *
 * @param enabled run the worker (the API alone sets this to false)
 * @param maxConcurrentActivities activity slots per task queue
 * @param maxConcurrentWorkflowTasks workflow task slots per task queue
 */
@ConfigurationProperties("vmigrate.worker")
public record WorkerProperties(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "200") int maxConcurrentActivities,
    @Bindable(defaultValue = "50") int maxConcurrentWorkflowTasks) {}
