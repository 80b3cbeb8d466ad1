package dev.vmigrate.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vmigrate.api.web.Dtos.TaskProgress;
import io.micronaut.core.annotation.Introspected;
import java.time.Instant;
import java.util.List;

/** The answers of {@code GET /vms}: VMs across requests, as the ledger has them. */
public final class VmDtos {
  private VmDtos() {}

  /**
   * One VM of one request.
   *
   * @param state planned, approved, started, completed, failed, rolled_back or skipped
   * @param progress as last recorded in the ledger (no live query to the migration)
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VmItem(
      String requestId,
      String planId,
      String planName,
      String vmId,
      String name,
      String instanceUuid,
      String state,
      String migrationId,
      String message,
      TaskProgress progress,
      @JsonProperty("updated_on") Instant updatedOn) {}

  /**
   * A page of VMs, the most recently changed first.
   *
   * @param total how many VMs match over all pages
   * @param offset how many matching VMs come before this page
   * @param limit the page size asked for
   */
  @Introspected
  public record VmPage(long total, int offset, int limit, List<VmItem> items) {}
}
