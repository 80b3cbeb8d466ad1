package dev.vmigrate.simulation;

/**
 * A simulation given up before it answered: its model did not converge (the simulated run stopped
 * making progress and the time-skipping server failed), it ran out of its real-time budget, or its
 * caller went away. The message says which and, for the first two, which parameters of the model
 * make the run so long; it never carries a stack trace or a lock dump.
 */
public final class SimulationAborted extends RuntimeException {

  /** Why the simulation was given up. */
  public enum Reason {
    /** The model does not converge: the run stopped making progress. */
    NOT_CONVERGED,
    /** The run did not finish within the simulator's real-time budget. */
    OUT_OF_TIME,
    /** The caller went away or the process is stopping. */
    CANCELLED
  }

  private final Reason reason;

  public SimulationAborted(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
