package dev.vmigrate.activity.impl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskPolling;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every activity implementation shares, in one place for them to call: gateways and VM lookups
 * ({@link Lookups}), failure typing ({@link Failures}), task following ({@link TaskFollower}) and
 * JSON ({@link Json}).
 */
final class VsphereSupport {
  static final ObjectMapper JSON = Json.MAPPER;

  /** The VM and the vCenter it is registered in right now. */
  record Located(VsphereGateway gateway, VmInfo vm) {}

  private final ActivitySettings settings;
  private final Lookups lookups;
  private final TaskFollower tasks;

  VsphereSupport(GatewayRegistry registry, ActivitySettings settings) {
    this.settings = settings;
    this.lookups = new Lookups(registry);
    this.tasks = new TaskFollower(settings);
  }

  ActivitySettings settings() {
    return settings;
  }

  VsphereGateway source(MigrationContext ctx) {
    return lookups.source(ctx);
  }

  VsphereGateway destination(MigrationContext ctx) {
    return lookups.destination(ctx);
  }

  /** Runs a gateway call, turning its failure into a typed application failure. */
  static <T> T call(Supplier<T> action) {
    return Failures.call(action);
  }

  static void run(Runnable action) {
    Failures.run(action);
  }

  static ApplicationFailure failure(VsphereException e) {
    return Failures.failure(e);
  }

  static ApplicationFailure nonRetryable(String type, String message) {
    return Failures.nonRetryable(type, message);
  }

  /** See {@link Lookups#locate}. */
  Optional<Located> locate(MigrationContext ctx) {
    return lookups.locate(ctx);
  }

  Located require(MigrationContext ctx) {
    return lookups.require(ctx);
  }

  /** Waits for a short task (power, folder, register) without heartbeat details of its own. */
  TaskInfo await(VsphereGateway gw, TaskRef ref) {
    return tasks.await(gw, ref);
  }

  /** See {@link TaskFollower#once}: one change, one task, whatever the retries. */
  TaskInfo once(
      VsphereGateway gw,
      String entityId,
      String operation,
      boolean searchEntity,
      Supplier<TaskRef> submit) {
    return tasks.once(gw, entityId, operation, searchEntity, submit);
  }

  /** See {@link TaskFollower#relocate}: at most one RelocateVM_Task, whatever the retries. */
  TaskInfo relocate(VsphereGateway gw, String vmId, RelocateSpec spec, List<VirtualDisk> disks) {
    return tasks.relocate(gw, vmId, spec, disks);
  }

  /** See {@link TaskFollower#polling()}: the wait between two reads of a task or VM. */
  TaskPolling polling() {
    return tasks.polling();
  }

  static String json(Object value) {
    return Json.json(value);
  }

  static <T> Optional<T> parse(String text, Class<T> type) {
    return Json.parse(text, type);
  }

  static String hostName(VsphereGateway gw, String hostId) {
    return Lookups.hostName(gw, hostId);
  }

  static String datastoreName(VsphereGateway gw, String datastoreId) {
    return Lookups.datastoreName(gw, datastoreId);
  }
}
