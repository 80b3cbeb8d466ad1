package dev.vmigrate.api.web;

import dev.vmigrate.api.service.MappingCatalog;
import dev.vmigrate.api.web.Dtos.MappingBody;
import dev.vmigrate.api.web.Dtos.MappingView;
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

/** Infrastructure mappings, addressed by id or name. */
@Controller("/mappings")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MappingController {
  private final MappingCatalog catalog;

  public MappingController(MappingCatalog catalog) {
    this.catalog = catalog;
  }

  @Get
  public List<MappingView> list() {
    return catalog.listMappings();
  }

  @Get("/{id}")
  public MappingView get(String id) {
    return catalog.getMapping(id);
  }

  @Post
  @ApiResponse(
      responseCode = "201",
      description = "mapping created",
      content = @Content(schema = @Schema(implementation = MappingView.class)))
  public HttpResponse<MappingView> create(@Valid @Body MappingBody body) {
    MappingView v = catalog.createMapping(body);
    return HttpResponse.created(v, URI.create("/mappings/" + v.id()));
  }

  @Put("/{id}")
  public MappingView update(String id, @Valid @Body MappingBody body) {
    return catalog.updateMapping(id, body);
  }

  @Delete("/{id}")
  @ApiResponse(responseCode = "204", description = "deleted")
  public HttpResponse<Void> delete(String id) {
    catalog.deleteMapping(id);
    return HttpResponse.noContent();
  }
}
