package dev.vmigrate.api.web;

import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.service.PlanCatalog;
import dev.vmigrate.api.service.PlanSimulations;
import dev.vmigrate.api.service.Requests;
import dev.vmigrate.api.service.RvToolsWorkbook;
import dev.vmigrate.api.service.ServiceException;
import dev.vmigrate.api.service.VmList;
import dev.vmigrate.api.service.VmListParser;
import dev.vmigrate.api.web.Dtos.ImportResult;
import dev.vmigrate.api.web.Dtos.OrderAccepted;
import dev.vmigrate.api.web.Dtos.OrderBody;
import dev.vmigrate.api.web.Dtos.PlanBody;
import dev.vmigrate.api.web.Dtos.PlanSummary;
import dev.vmigrate.api.web.Dtos.PlanView;
import dev.vmigrate.api.web.Dtos.RequestView;
import dev.vmigrate.api.web.SimulationDtos.SimulateBody;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.TimelineChart;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Plans: CRUD, VM import from CSV or YAML, ordering (which creates a request) and simulation (which
 * predicts what an order would do).
 */
@Controller("/plans")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PlanController {
  private final PlanCatalog catalog;
  private final Requests requests;
  private final PlanSimulations simulations;

  public PlanController(PlanCatalog catalog, Requests requests, PlanSimulations simulations) {
    this.catalog = catalog;
    this.requests = requests;
    this.simulations = simulations;
  }

  /** The plans by name; archived plans (deleted after they were ordered) only when asked. */
  @Get
  public List<PlanSummary> list(@Nullable @QueryValue Boolean archived) {
    return catalog.listPlans(Boolean.TRUE.equals(archived));
  }

  @Get("/{id}")
  public PlanView get(String id) {
    return catalog.getPlan(id);
  }

  @Post
  @ApiResponse(
      responseCode = "201",
      description = "plan created",
      content = @Content(schema = @Schema(implementation = PlanView.class)))
  public HttpResponse<PlanView> create(@Valid @Body PlanBody body) {
    PlanView v = catalog.createPlan(body);
    return HttpResponse.created(v, URI.create("/plans/" + v.id()));
  }

  /** Replaces the plan's fields; its VMs are replaced only when {@code vms} is given. */
  @Put("/{id}")
  public PlanView update(String id, @Valid @Body PlanBody body) {
    return catalog.updatePlan(id, body);
  }

  /**
   * Deletes a plan that was never ordered; a plan with requests is archived instead (its requests
   * and their per-VM outcomes stay readable). 409 while one of its requests is open.
   */
  @Delete("/{id}")
  @ApiResponse(responseCode = "204", description = "deleted")
  public HttpResponse<Void> delete(String id) {
    catalog.deletePlan(id);
    return HttpResponse.noContent();
  }

  /** The media type of an .xlsx workbook, as spreadsheet programs and browsers send it. */
  static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  /**
   * Appends VMs from a CSV (plain, or an RVTools vInfo export: VM, VM ID, VM UUID, SMBIOS UUID
   * columns), a YAML list, or an RVTools workbook (.xlsx: its vInfo sheet, with what vDisk and
   * vNetwork say of those VMs in the answer). The format comes from {@code format} or else the
   * Content-Type.
   */
  @Post("/{id}/vms/import")
  @Consumes({
    "text/csv",
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    MediaType.TEXT_PLAIN,
    XLSX
  })
  public ImportResult importVms(
      String id,
      @Body byte[] body,
      @Nullable @QueryValue String format,
      @Nullable @Header("Content-Type") String contentType) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String f =
        format != null
            ? format.toLowerCase(Locale.ROOT)
            : type.startsWith(XLSX) ? "xlsx" : type.contains("yaml") ? "yaml" : "csv";
    VmList vms;
    RvToolsWorkbook.Summary workbook = null;
    switch (f) {
      case "csv" -> vms = VmListParser.parseCsv(new String(body, StandardCharsets.UTF_8));
      case "yaml" -> vms = VmListParser.parseYaml(new String(body, StandardCharsets.UTF_8));
      case "xlsx" -> {
        RvToolsWorkbook book = RvToolsWorkbook.read(body);
        vms = book.vms();
        workbook = book.summary();
      }
      default ->
          throw new ServiceException.Invalid(
              "format", "format: must be csv, yaml or xlsx, not '" + format + "'");
    }
    int imported = catalog.importVms(id, vms.refs(), vms::place);
    int total = catalog.getPlan(id).vms().size();
    return workbook == null
        ? new ImportResult(imported, total)
        : new ImportResult(
            imported, total, workbook.networks(), workbook.disks(), workbook.diskCapacityMib());
  }

  /**
   * Orders the plan: 202 Accepted with the new request's id; approval and execution follow. While
   * the plan has an open request the order is refused (409 naming it) unless the body says {@code
   * allowConcurrent}. With an {@code Idempotency-Key} that an earlier order of the plan carried,
   * nothing is created: 200 with that order's request.
   */
  @Post("/{id}/order")
  @ApiResponse(
      responseCode = "202",
      description = "request created; approval and execution follow",
      content = @Content(schema = @Schema(implementation = OrderAccepted.class)))
  @ApiResponse(
      responseCode = "200",
      description = "an earlier order with the same Idempotency-Key created this request",
      content = @Content(schema = @Schema(implementation = OrderAccepted.class)))
  public HttpResponse<OrderAccepted> order(
      String id,
      @Nullable @Body OrderBody body,
      @Nullable @Header("Idempotency-Key") String idempotencyKey) {
    Requests.Ordered o =
        requests.order(
            id,
            new Requests.OrderOptions(
                body != null && Boolean.TRUE.equals(body.allowConcurrent()), idempotencyKey));
    RequestRow r = o.request();
    String location = "/requests/" + r.id();
    return HttpResponse.status(o.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED)
        .header("Location", location)
        .body(new OrderAccepted(r.id(), r.approvalState(), location));
  }

  /**
   * Simulates the plan: what an order of it would run, on a copy of the source vCenter's inventory
   * (read once, never written), with the real request and migration workflows on a time-skipping
   * test server; first the plan as it is, then each alternative of the body. Nothing is stored and
   * nothing is started. Refuses what an order refuses, with the same answers. One simulation at a
   * time per process: 429 while another runs; 503 in a process without a plan simulator (it runs in
   * the all-in-one server, {@code vmigrate server}). With {@code Accept: image/svg+xml} the answer
   * is the report's timeline chart instead, the same chart {@code vmigrate plan simulate --chart}
   * writes.
   */
  @Post("/{id}/simulate")
  @Produces({MediaType.APPLICATION_JSON, SVG})
  @ApiResponse(
      responseCode = "200",
      description =
          "the simulation report: one run per settings entry, the plan as it is first; with"
              + " Accept: image/svg+xml, its timeline chart",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SimulationReport.class)),
        @Content(mediaType = SVG, schema = @Schema(type = "string"))
      })
  @ApiResponse(
      responseCode = "422",
      description =
          "the model did not converge: the run stopped making progress; the message names the"
              + " model's parameters that make it so")
  @ApiResponse(
      responseCode = "429",
      description = "another plan simulation is running in this process; try again later")
  @ApiResponse(
      responseCode = "503",
      description =
          "this process has no plan simulator (it runs in the all-in-one server), vCenter did"
              + " not answer, or the simulation outlasted its real-time budget")
  public HttpResponse<?> simulate(
      String id,
      @Nullable @Valid @Body SimulateBody body,
      @Nullable @Header(HttpHeaders.ACCEPT) String accept,
      HttpRequest<?> request) {
    SimulationReport report;
    try (CallerGone gone = CallerGone.watch(request)) {
      report = simulations.simulate(id, body);
    }
    if (wantsChart(accept)) {
      return HttpResponse.ok(TimelineChart.svg(report)).contentType(SVG);
    }
    return HttpResponse.ok(report).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private static final String SVG = "image/svg+xml";

  /**
   * Interrupts the thread running a simulation when its client's connection closes, so that the
   * simulation is cancelled and its one-at-a-time slot freed rather than held until the run ends;
   * once closed, this watch can no longer interrupt the thread, and any interrupt it made is
   * cleared.
   */
  static final class CallerGone implements AutoCloseable {
    private final Thread thread = Thread.currentThread();
    private final io.netty.channel.Channel channel;
    private final io.netty.channel.ChannelFutureListener listener = f -> interrupt();
    private boolean watching = true;

    private CallerGone(io.netty.channel.Channel channel) {
      this.channel = channel;
      if (channel != null) {
        channel.closeFuture().addListener(listener);
      }
    }

    static CallerGone watch(HttpRequest<?> request) {
      return new CallerGone(
          request instanceof io.micronaut.http.server.netty.NettyHttpRequest<?> netty
              ? netty.getChannelHandlerContext().channel()
              : null);
    }

    private synchronized void interrupt() {
      if (watching) {
        thread.interrupt();
      }
    }

    @Override
    public void close() {
      synchronized (this) {
        watching = false;
      }
      if (channel != null) {
        channel.closeFuture().removeListener(listener);
      }
      Thread.interrupted(); // the thread serves other requests next
    }
  }

  /** Whether the client asked for the chart: SVG accepted and JSON not preferred over it. */
  static boolean wantsChart(String accept) {
    if (accept == null) {
      return false;
    }
    boolean svg = false;
    for (String part : accept.split(",")) {
      String type = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (type.equals(MediaType.APPLICATION_JSON)) {
        return false;
      }
      svg |= type.equals(SVG);
    }
    return svg;
  }

  @Get("/{id}/requests")
  public List<RequestView> requestsOf(String id) {
    return requests.list(id);
  }
}
