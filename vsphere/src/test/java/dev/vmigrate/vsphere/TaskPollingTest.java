package dev.vmigrate.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TaskPollingTest {
  private static final UnaryOperator<Duration> DOUBLING_TO_8MS =
      d ->
          d.multipliedBy(2).compareTo(Duration.ofMillis(8)) > 0
              ? Duration.ofMillis(8)
              : d.multipliedBy(2);

  private static TaskPolling polling(Duration initial, UnaryOperator<Duration> next) {
    return TaskPolling.starting(initial, next, e -> new IllegalStateException("interrupted", e));
  }

  @Test
  void delaysGrowUpToTheCap() {
    TaskPolling p = polling(Duration.ofMillis(1), DOUBLING_TO_8MS);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      delays.add(p.delay().toMillis());
      p.pause();
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 8L, 8L), delays);
  }

  @Test
  void pauseSleepsTheCurrentDelay() {
    TaskPolling p = polling(Duration.ofMillis(40), d -> d);
    long start = System.nanoTime();
    p.pause();
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(40).toNanos());
  }

  @Test
  void withoutADeadlineNothingExpires() {
    TaskPolling p = polling(Duration.ofMillis(1), DOUBLING_TO_8MS);
    p.pause();
    assertFalse(p.expired());
  }

  @Test
  void theDeadlineIsRespected() {
    assertTrue(polling(Duration.ofMillis(1), d -> d).within(Duration.ZERO).expired());

    // A delay far longer than the deadline: the pauses stop at the deadline, not after the delay.
    TaskPolling p = polling(Duration.ofSeconds(30), d -> d).within(Duration.ofMillis(50));
    assertFalse(p.expired());
    long start = System.nanoTime();
    int pauses = 0;
    while (!p.expired()) {
      p.pauseWithinDeadline();
      pauses++;
    }
    long elapsed = System.nanoTime() - start;
    assertTrue(pauses >= 1);
    assertTrue(elapsed >= Duration.ofMillis(49).toNanos(), "waited until the deadline");
    assertTrue(elapsed < Duration.ofSeconds(10).toNanos(), "not for the 30 s delay");
  }

  @Test
  void anInterruptedSleepThrowsTheCallersExceptionAndKeepsTheFlag() {
    TaskPolling p = polling(Duration.ofSeconds(30), d -> d);
    Thread.currentThread().interrupt();
    long start = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class, p::pause);
    assertTrue(Thread.interrupted(), "the interrupt flag is set again (and cleared here)");
    assertTrue(e.getCause() instanceof InterruptedException);
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    assertEquals(Duration.ofSeconds(30), p.delay(), "an interrupted pause does not grow the delay");
  }

  @Test
  void sleepMapsTheInterruption() {
    RuntimeException mapped = new RuntimeException("mapped");
    Thread.currentThread().interrupt();
    RuntimeException e =
        assertThrows(
            RuntimeException.class, () -> TaskPolling.sleep(Duration.ofSeconds(30), x -> mapped));
    assertSame(mapped, e);
    assertTrue(Thread.interrupted());
  }

  /** A pace whose time moves only by its sleeps, as a simulation's does. */
  private static final class SteppedPace implements TaskPolling.Pace {
    long now;
    final List<Duration> slept = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(Duration d) {
      slept.add(d);
      now += d.toNanos();
    }
  }

  @Test
  void aGivenPaceIsSleptInAndItsTimeDecidesTheDeadline() {
    SteppedPace pace = new SteppedPace();
    TaskPolling p =
        polling(Duration.ofSeconds(5), d -> d.multipliedBy(2))
            .in(pace)
            .within(Duration.ofSeconds(30));
    long start = System.nanoTime();
    int pauses = 0;
    while (!p.expired()) {
      p.pauseWithinDeadline();
      pauses++;
    }
    // 5 + 10 + 15 (cut to the deadline) simulated seconds, and no real waiting.
    assertEquals(
        List.of(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15)), pace.slept);
    assertEquals(3, pauses);
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
  }
}
