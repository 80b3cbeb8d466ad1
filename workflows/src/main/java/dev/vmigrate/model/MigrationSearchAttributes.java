package dev.vmigrate.model;

import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;

/**
 * The search attributes by which operators find runs in the Temporal UI and CLI. They must be
 * registered on the namespace (the Docker setup and the embedded server do); a starter sets them
 * only when told they are, and workflows keep them current only when started with them.
 */
public final class MigrationSearchAttributes {
  private MigrationSearchAttributes() {}

  public static final SearchAttributeKey<String> VM_NAME = SearchAttributeKey.forKeyword("VmName");
  public static final SearchAttributeKey<String> PLAN_NAME =
      SearchAttributeKey.forKeyword("PlanName");
  public static final SearchAttributeKey<String> REQUEST_ID =
      SearchAttributeKey.forKeyword("RequestId");
  public static final SearchAttributeKey<String> MIGRATION_STATE =
      SearchAttributeKey.forKeyword("MigrationState");

  /** The attributes a VM migration starts with; null values are left out. */
  public static SearchAttributes forMigration(String vmName, String planName, String requestId) {
    SearchAttributes.Builder b = SearchAttributes.newBuilder();
    set(b, VM_NAME, vmName);
    set(b, PLAN_NAME, planName);
    set(b, REQUEST_ID, requestId);
    b.set(MIGRATION_STATE, MigrationState.PENDING.name());
    return b.build();
  }

  /** The attributes a request run starts with. */
  public static SearchAttributes forRequest(String planName, String requestId) {
    SearchAttributes.Builder b = SearchAttributes.newBuilder();
    set(b, PLAN_NAME, planName);
    set(b, REQUEST_ID, requestId);
    return b.build();
  }

  private static void set(SearchAttributes.Builder b, SearchAttributeKey<String> key, String v) {
    if (v != null && !v.isBlank()) {
      b.set(key, v);
    }
  }
}
