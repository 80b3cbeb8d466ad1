package dev.vmigrate.vsphere;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The wait between two reads of a running vCenter task: a delay that starts at an initial value and
 * grows by a given step (each caller caps it), an optional deadline, and a sleep that, when the
 * thread is interrupted, restores the interrupt flag and throws the caller's exception. Not
 * thread-safe: one instance per polling loop.
 *
 * <pre>{@code
 * TaskPolling polling = TaskPolling.starting(initial, next, onInterrupt).within(timeout);
 * while (!done() && !polling.expired()) {
 *   polling.pause();
 * }
 * }</pre>
 */
public final class TaskPolling {

  /**
   * The time a polling loop reads and sleeps in: the machine's by default; a simulation gives one
   * whose sleeps let simulated time pass instead.
   */
  public interface Pace {
    /** A monotonic reading in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code d} (at least 1 ms) of this pace's time. */
    void sleep(Duration d) throws InterruptedException;

    /** The machine's own time. */
    Pace SYSTEM =
        new Pace() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(Math.max(1, d.toMillis()));
          }
        };
  }

  private final UnaryOperator<Duration> next;
  private final Function<InterruptedException, ? extends RuntimeException> onInterrupt;
  private Pace pace = Pace.SYSTEM;
  private Duration delay;
  private boolean bounded;
  private long deadline;

  private TaskPolling(
      Duration initial,
      UnaryOperator<Duration> next,
      Function<InterruptedException, ? extends RuntimeException> onInterrupt) {
    this.delay = Objects.requireNonNull(initial, "initial");
    this.next = Objects.requireNonNull(next, "next");
    this.onInterrupt = Objects.requireNonNull(onInterrupt, "onInterrupt");
  }

  /**
   * Polling without a deadline.
   *
   * @param initial the first delay
   * @param next the delay after a given one (growing, capped)
   * @param onInterrupt the exception to throw when a sleep is interrupted
   */
  public static TaskPolling starting(
      Duration initial,
      UnaryOperator<Duration> next,
      Function<InterruptedException, ? extends RuntimeException> onInterrupt) {
    return new TaskPolling(initial, next, onInterrupt);
  }

  /** Reads and sleeps in {@code pace}'s time from now on (set it before {@link #within}). */
  public TaskPolling in(Pace pace) {
    this.pace = Objects.requireNonNull(pace, "pace");
    return this;
  }

  /** Sets the deadline to {@code timeout} from now. */
  public TaskPolling within(Duration timeout) {
    deadline = pace.nanoTime() + timeout.toNanos();
    bounded = true;
    return this;
  }

  /** The delay the next {@link #pause()} sleeps. */
  public Duration delay() {
    return delay;
  }

  /** Whether the deadline has passed; never without one. */
  public boolean expired() {
    return bounded && pace.nanoTime() - deadline >= 0;
  }

  /** Sleeps the current delay (at least 1 ms), then grows it. */
  public void pause() {
    sleep(pace, delay, onInterrupt);
    delay = next.apply(delay);
  }

  /**
   * Like {@link #pause()}, but sleeps no longer than the time left before the deadline (at least 1
   * ms), so that a last read comes at the deadline rather than after it.
   */
  public void pauseWithinDeadline() {
    long leftMs = bounded ? Math.max(1, (deadline - pace.nanoTime()) / 1_000_000) : Long.MAX_VALUE;
    sleep(pace, Duration.ofMillis(Math.min(delay.toMillis(), leftMs)), onInterrupt);
    delay = next.apply(delay);
  }

  /**
   * Sleeps {@code d} (at least 1 ms). When interrupted, sets the thread's interrupt flag again and
   * throws what {@code onInterrupt} makes of the interruption.
   */
  public static void sleep(
      Duration d, Function<InterruptedException, ? extends RuntimeException> onInterrupt) {
    sleep(Pace.SYSTEM, d, onInterrupt);
  }

  private static void sleep(
      Pace pace,
      Duration d,
      Function<InterruptedException, ? extends RuntimeException> onInterrupt) {
    try {
      pace.sleep(Duration.ofMillis(Math.max(1, d.toMillis())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw onInterrupt.apply(e);
    }
  }
}
