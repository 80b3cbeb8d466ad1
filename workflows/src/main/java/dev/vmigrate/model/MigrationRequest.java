package dev.vmigrate.model;

/**
 * Input of one VM migration. Carries vCenter ids only, never credentials: activities resolve
 * credentials from configuration.
 *
 * @param vm the VM: managed object id in the source vCenter, or instance UUID
 * @param mapping infrastructure mapping
 * @param options migration options
 * @param planName plan this migration belongs to, or null
 * @param requestId request (order of a plan) this migration belongs to, or null
 * @param temporal the Temporal frontend and namespace the migration runs on, which the commands in
 *     its details name; null in histories recorded before it was carried (the commands then name
 *     none)
 */
public record MigrationRequest(
    String vm,
    InfrastructureMapping mapping,
    MigrationOptions options,
    String planName,
    String requestId,
    TemporalEndpoint temporal) {

  public MigrationRequest {
    options = options == null ? MigrationOptions.defaults() : options;
  }

  /** A request that names no Temporal endpoint. */
  public MigrationRequest(
      String vm,
      InfrastructureMapping mapping,
      MigrationOptions options,
      String planName,
      String requestId) {
    this(vm, mapping, options, planName, requestId, null);
  }
}
