package dev.vmigrate.api.web;

import dev.vmigrate.api.service.Inventories;
import dev.vmigrate.vsphere.Inventory;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /vcenters/{id}/inventory}: a configured vCenter's live inventory, for {@code vmigrate
 * inventory list}. Read through the same gateway the worker uses; 503 when vCenter cannot be read.
 */
@Controller("/vcenters/{id}/inventory")
@ExecuteOn(TaskExecutors.BLOCKING)
public class InventoryController {
  private final Inventories inventories;

  public InventoryController(Inventories inventories) {
    this.inventories = inventories;
  }

  @Get
  public Inventory inventory(String id) {
    return inventories.inventory(id, "id");
  }
}
