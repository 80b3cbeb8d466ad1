package dev.vmigrate.server;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.util.LinkedList;
import java.util.concurrent.locks.Lock;

/**
 * A bounded replacement for the debugging log that Temporal's Java test server keeps of its
 * time-skipping locks.
 *
 * <p>The server appends an entry to that log for every lock and unlock of time skipping: several
 * per workflow task and per activity task. Entries taken and released through a handle are removed
 * again, by a search from the head of the list; entries released by name never are. So the log
 * grows by a few entries per task for the life of the server, and every workflow update searches
 * the whole of it: a long-running all-in-one server slows down quadratically and its heap grows
 * without bound (measured: a 3,000-VM plan ran at 13.9 VMs/s against 25 VMs/s for 1,000 VMs, and a
 * 10,000-VM plan had not finished after 50 minutes).
 *
 * <p>The log has no other use than the text of the server's "unbalanced lock" diagnostic: the count
 * that decides whether time may skip is kept apart and is untouched here. This list keeps the
 * newest {@link #KEEP} entries, searches from the tail (a handle is released soon after it is
 * taken, so its entry is near the tail), and never reports an entry it has already dropped as
 * missing.
 */
public final class TimerLockLog extends LinkedList<Object> {
  private static final long serialVersionUID = 1L;

  /** How many of the newest entries the diagnostic keeps by default. */
  public static final int KEEP = 10_000;

  /**
   * How many entries a simulation keeps: the log is only read for the "unbalanced lock" diagnostic,
   * which then prints a few lines instead of thousands.
   */
  public static final int KEEP_FOR_DIAGNOSTIC = 8;

  private final int keep;
  private final java.util.concurrent.atomic.AtomicInteger diagnostics =
      new java.util.concurrent.atomic.AtomicInteger();

  private TimerLockLog(int keep) {
    this.keep = keep;
  }

  /**
   * The server reads its log only to write the "Unbalanced lock and unlock calls" diagnostic, the
   * fault it throws when its time skipping has gone wrong: counting the reads counts the faults.
   */
  @Override
  public java.util.Iterator<Object> iterator() {
    diagnostics.incrementAndGet();
    return super.iterator();
  }

  /** How many time-skipping faults ("Unbalanced lock and unlock calls") the server has had. */
  public int faults() {
    return diagnostics.get();
  }

  @Override
  public boolean add(Object entry) {
    super.add(entry);
    if (size() > keep) {
      removeFirst();
    }
    return true;
  }

  @Override
  public boolean remove(Object entry) {
    removeLastOccurrence(entry);
    return true;
  }

  /**
   * Puts a bounded log in place of the server's own, keeping what it holds.
   *
   * @return the log now in place, which counts the server's time-skipping faults
   * @throws IllegalStateException when the server's internals are not as this class expects (a
   *     Temporal SDK upgrade); the server then runs with its own log
   */
  public static TimerLockLog install(TestServicesStarter services, int keep) {
    try {
      TimerInternals timer = TimerInternals.of(services);
      timer.lock().lock();
      try {
        TimerLockLog bounded = new TimerLockLog(keep);
        for (Object entry : timer.log()) {
          bounded.add(entry); // one at a time, so the bound applies (addAll bypasses add)
        }
        timer.setLog(bounded);
        return bounded;
      } finally {
        timer.lock().unlock();
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot bound the Temporal test server's time-skipping lock log: " + e, e);
    }
  }

  /** How many entries the server's log holds now, bounded or not. */
  static int size(TestServicesStarter services) {
    try {
      TimerInternals timer = TimerInternals.of(services);
      timer.lock().lock();
      try {
        return timer.log().size();
      } finally {
        timer.lock().unlock();
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The test server's clock, with its lock and the field that holds the lock log. */
  private record TimerInternals(Object timer, Field logField, Lock lock) {
    static TimerInternals of(TestServicesStarter services) throws ReflectiveOperationException {
      Object timer = field(TestServicesStarter.class, "selfAdvancingTimer").get(services);
      return new TimerInternals(
          timer,
          field(timer.getClass(), "lockEvents"),
          (Lock) field(timer.getClass(), "lock").get(timer));
    }

    LinkedList<?> log() throws IllegalAccessException {
      return (LinkedList<?>) logField.get(timer);
    }

    void setLog(LinkedList<?> log) throws IllegalAccessException {
      logField.set(timer, log);
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
