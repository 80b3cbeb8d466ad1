package dev.vmigrate.api.web;

import dev.vmigrate.api.service.Recoveries;
import dev.vmigrate.api.web.RecoveryDtos.RecoverBody;
import dev.vmigrate.api.web.RecoveryDtos.RecoveryReport;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;

/** Recovery after lost state: what vmigrate left in a vCenter, and cleaning it up. */
@Controller("/vcenters")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RecoveryController {
  private final Recoveries recoveries;

  public RecoveryController(Recoveries recoveries) {
    this.recoveries = recoveries;
  }

  /**
   * Scans the vCenter's VMs and datastores for vmigrate's custom attributes and lists each leftover
   * of a migration that no longer runs (locked with no live migration, away from its recorded
   * origin with no result, marks left on a finished VM, stale reservation) with what is proposed. A
   * dry run unless {@code apply} is true, which starts one recovery workflow per leftover (id
   * {@code recover-<vcenter>-<instance uuid>}). The vCenter is the configured connection id; no
   * database record is needed.
   */
  @Post("/{id}/recover")
  @ApiResponse(responseCode = "200", description = "the leftovers, and with apply what started")
  @ApiResponse(responseCode = "400", description = "unknown vCenter, or a named VM has no mark")
  @ApiResponse(
      responseCode = "503",
      description = "vCenter or Temporal does not answer; nothing was changed")
  public RecoveryReport recover(String id, @Nullable @Valid @Body RecoverBody body) {
    return recoveries.recover(id, body);
  }
}
