package dev.vmigrate.api.service;

import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.db.VmListRepository;
import dev.vmigrate.api.web.Dtos.TaskProgress;
import dev.vmigrate.api.web.VmDtos.VmItem;
import dev.vmigrate.api.web.VmDtos.VmPage;
import dev.vmigrate.request.VmTaskState;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * VMs across requests from the ledger, filtered by state, plan and request, one bounded page at a
 * time: what is running now, what failed last night, without opening each request.
 */
@Singleton
public class VmListing {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  private final VmListRepository vms;
  private final RequestRepository requests;
  private final PlanCatalog plans;

  public VmListing(VmListRepository vms, RequestRepository requests, PlanCatalog plans) {
    this.vms = vms;
    this.requests = requests;
    this.plans = plans;
  }

  /**
   * A page of the ledger's VMs.
   *
   * @param states states to keep (each may list several, comma-separated); none keeps all
   * @param plan a plan's id or name, or null for every plan
   * @param request a request's id, or null for every request
   * @param offset matching VMs to pass over, or null for 0
   * @param limit the page size, 1 to {@value #MAX_LIMIT}, or null for {@value #DEFAULT_LIMIT}
   */
  public VmPage list(
      List<String> states, String plan, String request, Integer offset, Integer limit) {
    List<String> wanted = states(states);
    int from = offset == null ? 0 : offset;
    if (from < 0) {
      throw new ServiceException.Invalid("offset", "offset: must be 0 or more, not " + from);
    }
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw new ServiceException.Invalid(
          "limit", "limit: must be between 1 and " + MAX_LIMIT + ", not " + size);
    }
    String planId = plan == null || plan.isBlank() ? null : plans.planRow(plan, "plan").id();
    String requestId = request == null || request.isBlank() ? null : request;
    if (requestId != null && !requests.existsById(requestId)) {
      throw new ServiceException.NotFound("request", "request: no request '" + requestId + "'");
    }
    Map<String, RequestRow> byId = new HashMap<>();
    List<VmItem> items = new ArrayList<>();
    for (RequestVmRow v : vms.page(wanted, planId, requestId, from, size)) {
      RequestRow r = byId.computeIfAbsent(v.requestId(), id -> requests.findById(id).orElseThrow());
      items.add(
          new VmItem(
              r.id(),
              r.planId(),
              r.planName(),
              v.vmId(),
              v.name(),
              v.instanceUuid(),
              v.state().toLowerCase(Locale.ROOT),
              v.migrationId(),
              v.message(),
              new TaskProgress(v.vmMigratePercent(), v.diskMigratePercent()),
              v.updatedAt()));
    }
    return new VmPage(vms.count(wanted, planId, requestId), from, size, items);
  }

  /** The ledger's names of the states asked for (all when none); the field is {@code state}. */
  static List<String> states(List<String> asked) {
    Set<String> out = new LinkedHashSet<>();
    if (asked != null) {
      for (String value : asked) {
        for (String s : value.split(",")) {
          if (!s.isBlank()) {
            out.add(state(s.trim()));
          }
        }
      }
    }
    if (out.isEmpty()) {
      Arrays.stream(VmTaskState.values()).forEach(s -> out.add(s.name()));
    }
    return List.copyOf(out);
  }

  private static String state(String s) {
    String name = s.toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return VmTaskState.valueOf(name).name();
    } catch (IllegalArgumentException e) {
      throw new ServiceException.Invalid(
          "state",
          "state: '"
              + s
              + "' is not one of "
              + Arrays.stream(VmTaskState.values())
                  .map(v -> v.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")));
    }
  }
}
