package dev.vmigrate.server.simulation;

import com.google.protobuf.Empty;
import dev.vmigrate.vsphere.TaskPolling;
import io.grpc.ManagedChannel;
import io.temporal.api.testservice.v1.SleepRequest;
import io.temporal.api.testservice.v1.TestServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The time of a simulation: the Temporal test server's clock, which skips ahead whenever nothing is
 * running. It is the simulated vCenter's clock (so relocates take the time the physical model gives
 * them) and the pace of the activities' waits between task reads: an activity that waits lets go of
 * its hold on the clock for the wait's duration, so the server jumps to the next instant something
 * happens, as in a discrete-event simulation.
 */
final class SimulatedTime extends Clock implements TaskPolling.Pace {
  private final TestServiceGrpc.TestServiceBlockingStub test;
  // Once the run is over and its server gone, the instant it ended at.
  private volatile Instant stoppedAt;

  SimulatedTime(ManagedChannel channel) {
    this.test = TestServiceGrpc.newBlockingStub(channel);
  }

  /** Stops reading the server: from now on this clock stands at the current instant. */
  void stop() {
    stoppedAt = instant();
  }

  @Override
  public Instant instant() {
    Instant stopped = stoppedAt;
    if (stopped != null) {
      return stopped;
    }
    var t = test.getCurrentTime(Empty.getDefaultInstance()).getTime();
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  @Override
  public long nanoTime() {
    Instant now = instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * Waits {@code d} of simulated time. Called only from an activity: the server holds time while an
   * activity runs, and this releases that hold until the time has come.
   */
  @Override
  public void sleep(Duration d) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    test.unlockTimeSkippingWithSleep(
        SleepRequest.newBuilder()
            .setDuration(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(d.getSeconds())
                    .setNanos(d.getNano())
                    .build())
            .build());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
