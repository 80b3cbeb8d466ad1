package dev.vmigrate.api.web;

import dev.vmigrate.api.service.Requests;
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
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/** Requests: status with per-VM tasks, approve, deny, and per-VM migration signals. */
@Controller("/requests")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RequestController {
  private final Requests requests;

  public RequestController(Requests requests) {
    this.requests = requests;
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
  public RequestView deny(String id, @Nullable @Body DenyBody body) {
    return requests.view(requests.deny(id, body == null ? null : body.reason()), true);
  }

  /** Stops admitting VMs into the request; running migrations go on. */
  @Post("/{id}/pause")
  @ApiResponse(responseCode = "202", description = "signal sent to the request workflow")
  public HttpResponse<SignalSent> pause(String id) {
    return steer(id, "pause");
  }

  /** Admits VMs again. */
  @Post("/{id}/resume")
  @ApiResponse(responseCode = "202", description = "signal sent to the request workflow")
  public HttpResponse<SignalSent> resume(String id) {
    return steer(id, "resume");
  }

  /** Stops admitting and rolls back the running migrations. */
  @Post("/{id}/cancel")
  @ApiResponse(responseCode = "202", description = "signal sent to the request workflow")
  public HttpResponse<SignalSent> cancel(String id) {
    return steer(id, "cancel");
  }

  private HttpResponse<SignalSent> steer(String id, String action) {
    String workflowId = requests.steer(id, action);
    return HttpResponse.status(HttpStatus.ACCEPTED).body(new SignalSent(workflowId, action));
  }

  /**
   * Sends {@code pause}, {@code resume}, {@code rollback} or {@code confirm} to one VM's workflow.
   */
  @Post("/{id}/vms/{vmId}/{signal}")
  @ApiResponse(responseCode = "202", description = "signal sent to the VM's migration workflow")
  public HttpResponse<SignalSent> signal(String id, String vmId, String signal) {
    String migrationId = requests.signal(id, vmId, signal);
    return HttpResponse.status(HttpStatus.ACCEPTED).body(new SignalSent(migrationId, signal));
  }
}
