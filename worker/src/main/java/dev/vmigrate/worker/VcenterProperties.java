package dev.vmigrate.worker;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * One vCenter connection, configured under {@code vmigrate.vcenters.<id>}. The password is read
 * from {@code password-file} at connect time; it is never part of a workflow payload or a log line.
 *
 * @param id the vCenter id used in workflow inputs and task queue names
 * @param url the SDK endpoint, e.g. https://vcenter.example.com/sdk
 * @param username the login
 * @param passwordFile a file whose content is the password
 * @param thumbprint pinned SHA-256 thumbprint of the server certificate (hex, colons optional)
 * @param trustStore a PKCS#12 trust store path
 * @param insecure skip TLS verification (logged as a warning)
 * @param simulated use the in-process simulated vSphere instead of a real endpoint
 * @param simulatedVms number of VMs in the simulated inventory
 */
@EachProperty("vmigrate.vcenters")
public record VcenterProperties(
    @Parameter String id,
    @Nullable String url,
    @Nullable String username,
    @Nullable String passwordFile,
    @Nullable String thumbprint,
    @Nullable String trustStore,
    @Bindable(defaultValue = "false") boolean insecure,
    @Bindable(defaultValue = "false") boolean simulated,
    @Bindable(defaultValue = "200") int simulatedVms) {

  @Override
  public String toString() {
    // Only what identifies the endpoint; never anything secret-adjacent.
    return "vCenter " + id + (simulated ? " (simulated)" : " at " + url);
  }
}
