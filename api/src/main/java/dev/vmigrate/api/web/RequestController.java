package dev.vmigrate.api.web;

import dev.vmigrate.api.service.RequestCloser;
import dev.vmigrate.api.service.Requests;
import dev.vmigrate.api.web.Dtos.CloseBody;
import dev.vmigrate.api.web.Dtos.CloseResult;
import dev.vmigrate.api.web.Dtos.DenyBody;
import dev.vmigrate.api.web.Dtos.RequestView;
import dev.vmigrate.api.web.Dtos.SignalSent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.util.List;

/** Requests: status with per-VM tasks, approve, deny, and per-VM migration signals. */
@Controller("/requests")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RequestController {
  private final Requests requests;
  private final RequestCloser closer;

  public RequestController(Requests requests, RequestCloser closer) {
    this.requests = requests;
    this.closer = closer;
  }

  @Get
  public List<RequestView> list() {
    return requests.list(null);
  }

  @Get("/{id}")
  public RequestView get(String id) {
    return requests.view(requests.request(id), true);
  }

  @Post("/{id}/approve")
  public RequestView approve(String id) {
    return requests.view(requests.approve(id), true);
  }

  @Post("/{id}/deny")
  public RequestView deny(String id, @Nullable @Valid @Body DenyBody body) {
    return requests.view(requests.deny(id, body == null ? null : body.reason()), true);
  }

  /** Stops admitting VMs into the request; running migrations go on. */
  @Post("/{id}/pause")
  @ApiResponse(
      responseCode = "202",
      description = "signal sent to the request workflow",
      content = @Content(schema = @Schema(implementation = SignalSent.class)))
  public HttpResponse<SignalSent> pause(String id) {
    return steer(id, "pause");
  }

  /** Admits VMs again. */
  @Post("/{id}/resume")
  @ApiResponse(
      responseCode = "202",
      description = "signal sent to the request workflow",
      content = @Content(schema = @Schema(implementation = SignalSent.class)))
  public HttpResponse<SignalSent> resume(String id) {
    return steer(id, "resume");
  }

  /** Stops admitting and rolls back the running migrations. */
  @Post("/{id}/cancel")
  @ApiResponse(
      responseCode = "202",
      description = "signal sent to the request workflow",
      content = @Content(schema = @Schema(implementation = SignalSent.class)))
  public HttpResponse<SignalSent> cancel(String id) {
    return steer(id, "cancel");
  }

  /**
   * Closes a request whose request workflow Temporal no longer knows (its state was lost), so that
   * its VMs are free to be ordered again. Each VM still in play is read in vCenter (nothing is
   * changed there), what was found is recorded in its ledger row as failed, and the request is
   * finished with status closed. Closing a closed request answers the same again.
   */
  @Post("/{id}/close")
  @ApiResponse(
      responseCode = "200",
      description =
          "closed: what was found of each VM still in play, and what the operator must do by hand")
  @ApiResponse(
      responseCode = "404",
      description = "no such request",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(
      responseCode = "409",
      description =
          "the request workflow exists in Temporal (running: cancel it; closed: the ledger catches"
              + " up), or the request is finished otherwise or never started a workflow",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "Temporal or vCenter did not answer, so that the workflow's absence or the VMs cannot be"
              + " confirmed; nothing was changed",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public CloseResult close(String id, @Nullable @Valid @Body CloseBody body) {
    return closer.close(id, body == null ? null : body.reason());
  }

  private HttpResponse<SignalSent> steer(String id, String action) {
    String workflowId = requests.steer(id, action);
    return HttpResponse.status(HttpStatus.ACCEPTED).body(new SignalSent(workflowId, action));
  }

  /**
   * Sends {@code pause}, {@code resume}, {@code rollback} or {@code confirm} to one VM's workflow.
   * The VM is named by its managed object id, instance UUID or name: 404 when none of the request's
   * VMs matches, 409 listing the candidates when several share the name.
   */
  @Post("/{id}/vms/{vmId}/{signal}")
  @ApiResponse(
      responseCode = "202",
      description = "signal sent to the VM's migration workflow",
      content = @Content(schema = @Schema(implementation = SignalSent.class)))
  public HttpResponse<SignalSent> signal(String id, String vmId, String signal) {
    return HttpResponse.status(HttpStatus.ACCEPTED).body(requests.signal(id, vmId, signal));
  }
}
