package dev.vmigrate.cli;

/** The process exit codes of {@code vmigrate}, stable for scripts. */
public enum ExitCode {
  OK(0),
  FAILURE(1),
  USAGE(2),
  NOT_FOUND(3),
  CONFLICT(4),
  UNREACHABLE(5),
  /**
   * A followed request cannot go on without an operator: every VM is finished or held (failed and
   * waiting, held by a blocking precheck, paused, or waiting for confirm).
   */
  HELD(6),
  /**
   * The live state of a started VM could not be read (no worker polls its task queue, Temporal does
   * not answer, or its status query timed out): what was shown is the ledger's last record.
   */
  LIVE_UNAVAILABLE(7);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
