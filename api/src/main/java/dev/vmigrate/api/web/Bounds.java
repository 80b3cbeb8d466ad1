package dev.vmigrate.api.web;

import dev.vmigrate.api.service.Columns;

/**
 * Every bound of every request body, in one place. The DTOs' constraints name these constants, and
 * the OpenAPI document is generated from those constraints ({@code maxLength}, {@code maxItems},
 * {@code maxProperties}, {@code maximum}), so what is documented is what is enforced. Together they
 * cap the largest workflow input an accepted plan can make (docs/plan-format.md, "Bounds") far
 * below Temporal's 2 MB payload limit.
 */
public final class Bounds {
  private Bounds() {}

  /** A vCenter's id, and a mapping's reference to one. */
  public static final int VCENTER_ID = 63;

  /** A name: of a plan, a mapping, a VM, a cluster, a datastore, a network, a folder. */
  public static final int NAME = 255;

  /** A vCenter's URL, trust store path or credentials reference. */
  public static final int LOCATION = 1024;

  /** A certificate thumbprint (SHA-256 with colons is 95 characters). */
  public static final int THUMBPRINT = 128;

  /** Cluster entries of one mapping. */
  public static final int CLUSTERS = 1000;

  /** Datastore or network entries of one mapping. */
  public static final int MAPPING_ENTRIES = 10_000;

  /** A VM's managed object id, instance UUID or BIOS UUID. */
  public static final int VM_KEY = 64;

  /** VMs of one plan (and of one request). */
  public static final int PLAN_VMS = 10_000;

  /** Hook URLs of one kind (pre-migration, post-migration, post-rollback) in one plan. */
  public static final int HOOKS = 16;

  /** One hook URL. */
  public static final int HOOK_URL = 2048;

  /** An enumerated word: approval policy, admission policy, simulation policy. */
  public static final int WORD = 16;

  /** A plan's concurrency limit, and a simulated one. */
  public static final int CONCURRENCY = 10_000;

  /** How many VMs the fifo policy migrates at once, in a plan and in a simulation. */
  public static final int FIFO_THROTTLE = 1000;

  /** An operator's reason (deny, close), as the ledger's column holds it. */
  public static final int REASON = Columns.REASON;

  /** Alternatives one simulation compares with the plan as it is. */
  public static final int COMPARE = 8;

  /** A simulation run's label. */
  public static final int LABEL = 100;

  /** VM names one recovery names (apply to, or finalise). */
  public static final int RECOVER_VMS = 10_000;

  /**
   * A mapping's clusters, datastores and networks together, in bytes of JSON: each request and
   * migration workflow carries the mapping in its input.
   */
  public static final int MAPPING_JSON_BYTES = 256 * 1024;

  /** A plan's options, in bytes of JSON: each workflow of the plan carries them in its input. */
  public static final int OPTIONS_JSON_BYTES = 128 * 1024;

  /**
   * What the bounds above guarantee of a request or migration workflow's input: the mapping, the
   * options, the plan's name and a few ids and limits stay below this many bytes, a quarter of
   * Temporal's 2 MB payload limit (docs/plan-format.md, "Bounds").
   */
  public static final int WORKFLOW_INPUT_BYTES = 512 * 1024;
}
