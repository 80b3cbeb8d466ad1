package dev.vmigrate.api.web;

import dev.vmigrate.api.service.VmListing;
import dev.vmigrate.api.web.VmDtos.VmPage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/** VMs across requests, from the ledger. */
@Controller("/vms")
@ExecuteOn(TaskExecutors.BLOCKING)
public class VmController {
  private final VmListing listing;

  public VmController(VmListing listing) {
    this.listing = listing;
  }

  /**
   * A page of the VMs of every request, the most recently changed first, filtered by state, plan
   * and request. Each VM of each request is one item: a VM ordered twice appears twice.
   */
  @Get
  @ApiResponse(responseCode = "200", description = "a page of VMs and how many match in all")
  @ApiResponse(
      responseCode = "400",
      description = "a state, offset or limit that cannot be accepted",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(
      responseCode = "404",
      description = "no such plan or request",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public VmPage list(
      @Parameter(
              description =
                  "states to keep: planned, approved, started, completed, failed, rolled_back,"
                      + " skipped; repeated or comma-separated; none keeps all")
          @Nullable
          @QueryValue
          List<String> state,
      @Parameter(description = "a plan's id or name") @Nullable @QueryValue String plan,
      @Parameter(description = "a request's id") @Nullable @QueryValue String request,
      @Parameter(description = "matching VMs to pass over (default 0)") @Nullable @QueryValue
          Integer offset,
      @Parameter(description = "page size, 1 to 1000 (default 100)") @Nullable @QueryValue
          Integer limit) {
    return listing.list(state, plan, request, offset, limit);
  }
}
