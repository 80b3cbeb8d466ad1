package dev.vmigrate.api.web;

import dev.vmigrate.api.service.VcenterCatalog;
import dev.vmigrate.api.web.Dtos.VcenterBody;
import dev.vmigrate.api.web.Dtos.VcenterView;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;

/** vCenter connections. Credentials are only ever a reference; no answer carries a secret. */
@Controller("/vcenters")
@ExecuteOn(TaskExecutors.BLOCKING)
public class VcenterController {
  private final VcenterCatalog catalog;

  public VcenterController(VcenterCatalog catalog) {
    this.catalog = catalog;
  }

  @Get
  public List<VcenterView> list() {
    return catalog.listVcenters();
  }

  @Get("/{id}")
  public VcenterView get(String id) {
    return catalog.getVcenter(id);
  }

  @Post
  @ApiResponse(
      responseCode = "201",
      description = "vCenter connection created",
      content = @Content(schema = @Schema(implementation = VcenterView.class)))
  public HttpResponse<VcenterView> create(@Valid @Body VcenterBody body) {
    VcenterView v = catalog.createVcenter(body);
    return HttpResponse.created(v, URI.create("/vcenters/" + v.id()));
  }

  @Put("/{id}")
  public VcenterView update(String id, @Valid @Body VcenterBody body) {
    return catalog.updateVcenter(id, body);
  }

  @Delete("/{id}")
  @ApiResponse(responseCode = "204", description = "deleted")
  public HttpResponse<Void> delete(String id) {
    catalog.deleteVcenter(id);
    return HttpResponse.noContent();
  }
}
