package dev.vmigrate.api.metrics;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * {@code GET /metrics}: the process's metrics in Prometheus' text format. Behind the bearer-token
 * filter like every other path (Prometheus sends a token with {@code authorization.credentials});
 * on a loopback server started without tokens it answers local clients without one.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class MetricsController {
  private final MetricsScrape scrape;

  public MetricsController(MetricsScrape scrape) {
    this.scrape = scrape;
  }

  @Get(value = "/metrics", produces = MetricsScrape.CONTENT_TYPE)
  @Operation(summary = "The process's metrics in Prometheus' text format (docs/operations.md)")
  @ApiResponse(
      responseCode = "200",
      description = "the scrape",
      content = @Content(mediaType = MetricsScrape.CONTENT_TYPE, schema = @Schema(type = "string")))
  public HttpResponse<String> metrics() {
    return HttpResponse.ok(scrape.scrape()).contentType(MediaType.of(MetricsScrape.CONTENT_TYPE));
  }
}
