package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.GIB;
import static dev.vmigrate.activity.impl.ActivityFixture.mapping;
import static dev.vmigrate.activity.impl.ActivityFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DiskProgressSignalTest {
  static volatile MigrationContext context;
  static final List<List<DiskProgress>> received = new CopyOnWriteArrayList<>();

  /** Runs InitiateSource and records the diskProgress signals it sends. */
  public static class RecordingWorkflow implements VmMigrationWorkflow {
    @Override
    public MigrationResult migrate(MigrationRequest request) {
      SourceActivities source =
          Workflow.newActivityStub(
              SourceActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
      source.initiateSource(context);
      return null;
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void rollback() {}

    @Override
    public void confirm() {}

    @Override
    public void diskProgress(List<DiskProgress> disks) {
      received.add(disks);
    }

    @Override
    public MigrationStatus status() {
      return null;
    }
  }

  @Test
  void relocateProgressReachesTheWorkflowAtMostEveryTenPoints() throws Exception {
    try (ActivityFixture f = new ActivityFixture();
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      f.vc.setBandwidth(GIB); // 50 GiB: 50 simulated seconds
      context =
          f.analysed(
              "m1",
              request(
                  f.vc.vmId("web01"),
                  mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
                  MigrationType.AUTO));
      received.clear();
      Worker worker = env.newWorker("q");
      worker.registerWorkflowImplementationTypes(RecordingWorkflow.class);
      worker.registerActivitiesImplementations(
          new SourceActivitiesImpl(f.registry, ActivityFixture.FAST));
      env.start();
      AtomicBoolean done = new AtomicBoolean();
      Thread ticker =
          new Thread(
              () -> {
                while (!done.get()) {
                  f.clock.advance(Duration.ofSeconds(1));
                  try {
                    Thread.sleep(2);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      ticker.start();
      try {
        env.getWorkflowClient()
            .newWorkflowStub(
                VmMigrationWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("m1").build())
            .migrate(context.request());
      } finally {
        done.set(true);
        ticker.join();
      }
      assertFalse(received.isEmpty());
      List<Integer> percents = received.stream().map(d -> d.get(0).percent()).toList();
      assertEquals(100, percents.get(percents.size() - 1));
      for (int i = 1; i < percents.size(); i++) {
        assertTrue(
            percents.get(i) >= percents.get(i - 1) + 10 || percents.get(i) == 100,
            percents::toString);
      }
      assertTrue(percents.size() <= 11, percents::toString);
      assertEquals(2, received.get(0).size(), "one entry per moving disk");
    }
  }
}
