package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.VsphereSupport.call;

import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.HookEvent;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.vsphere.FolderInfo;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereGateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Capacity reservations, the cross-vCenter inventory check and the webhooks. Reservations are keyed
 * by migration id on the datastore itself, so a repeat is a no-op; webhooks are called again on a
 * retry (receivers must accept a repeated call for the same migration id).
 */
public class PreparationActivitiesImpl implements PreparationActivities {
  private final VsphereSupport vsphere;
  private final HookCalls hooks;

  /**
   * @param hooks how hooks are called: where they may go and the secrets they may be sent with
   */
  public PreparationActivitiesImpl(
      GatewayRegistry registry, ActivitySettings settings, HookCalls hooks) {
    this.vsphere = new VsphereSupport(registry, settings);
    this.hooks = hooks;
  }

  /** Hooks only to public destinations, without secrets. */
  public PreparationActivitiesImpl(GatewayRegistry registry) {
    this(
        registry,
        ActivitySettings.defaults(),
        HookCalls.strict(ActivitySettings.defaults().webhookTimeout()));
  }

  @Override
  public ActionOutcome reserveDirectory(MigrationContext ctx) {
    VsphereGateway dst = vsphere.destination(ctx);
    Map<String, Long> needed = DatastoreReservations.needed(ctx);
    if (needed.isEmpty()) {
      return ActionOutcome.alreadyDone(
          ctx.vm().name() + " keeps its datastores: no capacity to reserve");
    }
    List<String> reserved = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (var e : needed.entrySet()) {
      String text = gib(e.getValue()) + " on " + VsphereSupport.datastoreName(dst, e.getKey());
      if (DatastoreReservations.reserve(dst, e.getKey(), ctx.migrationId(), e.getValue())) {
        reserved.add(text);
      } else {
        kept.add(text);
      }
    }
    if (reserved.isEmpty()) {
      return ActionOutcome.alreadyDone(
          "capacity for " + ctx.vm().name() + " already reserved: " + String.join(", ", kept));
    }
    return ActionOutcome.done(
        "reserved capacity for " + ctx.vm().name() + ": " + String.join(", ", reserved));
  }

  @Override
  public ActionOutcome releaseDirectory(MigrationContext ctx) {
    if (ctx.destination() == null) {
      return ActionOutcome.alreadyDone("no destination chosen: nothing reserved");
    }
    VsphereGateway dst = vsphere.destination(ctx);
    List<String> released = new ArrayList<>();
    for (String ds : DatastoreReservations.candidates(ctx.destination())) {
      if (DatastoreReservations.release(dst, ds, ctx.migrationId())) {
        released.add(VsphereSupport.datastoreName(dst, ds));
      }
    }
    return released.isEmpty()
        ? ActionOutcome.alreadyDone("no reservation of " + ctx.vm().name() + " to release")
        : ActionOutcome.done(
            "released capacity reserved for "
                + ctx.vm().name()
                + " on "
                + String.join(", ", released));
  }

  @Override
  public ActionOutcome createInventoryVm(MigrationContext ctx) {
    if (!ctx.request().mapping().crossVcenter()) {
      return ActionOutcome.alreadyDone("same vCenter: no inventory entry to prepare");
    }
    VsphereGateway dst = vsphere.destination(ctx);
    Optional<VmInfo> existing = call(() -> dst.findVmByInstanceUuid(ctx.vm().instanceUuid()));
    if (existing.isPresent()) {
      VmInfo vm = existing.get();
      if (ctx.migrationId().equals(vm.customValue(MigrationAttributes.LOCK))) {
        return ActionOutcome.alreadyDone(
            vm.name() + " is already registered in " + dst.vcenterId() + " by this migration");
      }
      throw VsphereSupport.nonRetryable(
          FailureTypes.INVALID_STATE,
          "a VM with the instance UUID of "
              + ctx.vm().name()
              + " is already registered in "
              + dst.vcenterId()
              + ": "
              + vm.name());
    }
    String folder = ctx.destination().folder();
    Optional<VmInfo> sameName = call(() -> dst.findVmInFolder(folder, ctx.vm().name()));
    String folderName =
        call(dst::infrastructure).folder(folder).map(FolderInfo::name).orElse(folder);
    if (sameName.isPresent()) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.INVALID_STATE,
          "the name " + ctx.vm().name() + " is already taken in folder " + folderName);
    }
    return ActionOutcome.alreadyDone(
        dst.vcenterId()
            + " has no VM with the instance UUID of "
            + ctx.vm().name()
            + " and the name is free in folder "
            + folderName);
  }

  @Override
  public ActionOutcome destroyInventoryVm(MigrationContext ctx) {
    return ActionOutcome.alreadyDone(
        ctx.request().mapping().crossVcenter()
            ? "CreateInventoryVm claimed nothing in " + ctx.destinationVcenter()
            : "same vCenter: no inventory entry to remove");
  }

  @Override
  public ActionOutcome invokeCallbacks(MigrationContext ctx) {
    return post(ctx, ctx.request().options().preMigrationHooks(), "pre-migration");
  }

  @Override
  public ActionOutcome invokeRollbackCallbacks(MigrationContext ctx) {
    return post(ctx, ctx.request().options().rollbackHooks(), "rollback");
  }

  @Override
  public ActionOutcome invokePostMigrationHooks(MigrationContext ctx, HookEvent event) {
    return postOutcome(ctx, ctx.request().options().postMigrationHooks(), event);
  }

  @Override
  public ActionOutcome invokePostRollbackHooks(MigrationContext ctx, HookEvent event) {
    return postOutcome(ctx, ctx.request().options().postRollbackHooks(), event);
  }

  /**
   * Posts the migration's outcome with the event's idempotency key. Every URL is called again on a
   * retry, under the same key: receivers drop a key they have already handled.
   */
  private ActionOutcome postOutcome(MigrationContext ctx, List<String> urls, HookEvent event) {
    String vmName = ctx.vm() == null ? ctx.request().vm() : ctx.vm().name();
    if (urls.isEmpty()) {
      return ActionOutcome.alreadyDone("no " + event.event() + " webhooks configured");
    }
    send(
        ctx, urls, event.event(), VsphereSupport.json(outcome(ctx, event)), event.idempotencyKey());
    return ActionOutcome.done(
        "called "
            + urls.size()
            + " "
            + event.event()
            + " webhook(s) for "
            + vmName
            + " (Idempotency-Key "
            + event.idempotencyKey()
            + ")");
  }

  /**
   * The body of a post-migration or post-rollback call: what happened to which VM, from where to
   * where. Identifiers and placements only; no credential or webhook URL is ever part of it.
   */
  static Map<String, Object> outcome(MigrationContext ctx, HookEvent event) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", event.event());
    body.put("idempotencyKey", event.idempotencyKey());
    body.put("migrationId", ctx.migrationId());
    body.put("requestId", ctx.request().requestId());
    body.put("planName", ctx.request().planName());
    Map<String, Object> vm = new LinkedHashMap<>();
    if (ctx.vm() != null) {
      vm.put("name", ctx.vm().name());
      vm.put("moref", ctx.vm().id());
      vm.put("instanceUuid", ctx.vm().instanceUuid());
    } else {
      // Rolled back before InvokePrechecks identified the VM: only the request names it.
      vm.put("requested", ctx.request().vm());
    }
    body.put("vm", vm);
    body.put("result", event.result());
    body.put("mode", ctx.spec() == null ? null : ctx.spec().mode());
    body.put("from", ctx.origin());
    body.put("to", ctx.destination());
    body.put("error", event.error());
    return body;
  }

  private ActionOutcome post(MigrationContext ctx, List<String> urls, String event) {
    if (urls.isEmpty()) {
      return ActionOutcome.alreadyDone("no " + event + " webhooks configured");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", event);
    body.put("migrationId", ctx.migrationId());
    body.put("vm", ctx.vm());
    body.put("destination", ctx.destination());
    body.put("mode", ctx.spec() == null ? null : ctx.spec().mode());
    send(ctx, urls, event, VsphereSupport.json(body), null);
    return ActionOutcome.done(
        "called " + urls.size() + " " + event + " webhook(s) for " + ctx.vm().name());
  }

  /** Sends through the hook caller with the plan's secret reference (its name only). */
  private void send(
      MigrationContext ctx, List<String> urls, String event, String json, String idempotencyKey) {
    hooks.send(urls, event, json, idempotencyKey, ctx.request().options().hookSecret());
  }

  /** The URL without user info and query, which may carry secrets, for messages. */
  static String redact(String url) {
    return HookCalls.redact(url);
  }

  static String gib(long bytes) {
    return String.format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
