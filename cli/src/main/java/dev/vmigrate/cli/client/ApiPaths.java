package dev.vmigrate.cli.client;

import static dev.vmigrate.cli.client.ApiClient.segment;

import java.util.List;

/** The REST API's resource paths, in one place. */
public final class ApiPaths {
  private ApiPaths() {}

  public static String vcenters() {
    return "/vcenters";
  }

  public static String vcenter(String id) {
    return vcenters() + "/" + segment(id);
  }

  public static String recover(String vcenter) {
    return vcenters() + "/" + segment(vcenter) + "/recover";
  }

  public static String inventory(String vcenter) {
    return vcenters() + "/" + segment(vcenter) + "/inventory";
  }

  public static String mappings() {
    return "/mappings";
  }

  public static String mapping(String idOrName) {
    return mappings() + "/" + segment(idOrName);
  }

  public static String plans() {
    return "/plans";
  }

  /** The plans, the archived ones (deleted after they were ordered) too. */
  public static String plansWithArchived() {
    return plans() + "?archived=true";
  }

  public static String plan(String idOrName) {
    return plans() + "/" + segment(idOrName);
  }

  public static String planImport(String idOrName) {
    return plan(idOrName) + "/vms/import";
  }

  public static String planOrder(String idOrName) {
    return plan(idOrName) + "/order";
  }

  /** A plan's simulation: the request it would make, run on a copy of the inventory. */
  public static String planSimulate(String idOrName) {
    return plan(idOrName) + "/simulate";
  }

  /** A plan's requests, newest first. */
  public static String planRequests(String idOrName) {
    return plan(idOrName) + "/requests";
  }

  public static String requests() {
    return "/requests";
  }

  public static String request(String id) {
    return "/requests/" + segment(id);
  }

  public static String requestApprove(String id) {
    return request(id) + "/approve";
  }

  public static String requestClose(String id) {
    return request(id) + "/close";
  }

  public static String requestDeny(String id) {
    return request(id) + "/deny";
  }

  /** A request-level signal: pause, resume or cancel. */
  public static String requestSignal(String id, String signal) {
    return request(id) + "/" + segment(signal);
  }

  /**
   * A page of VMs across requests.
   *
   * @param states states to keep, none for all
   * @param plan a plan's id or name, or null
   * @param request a request's id, or null
   */
  public static String vms(
      List<String> states, String plan, String request, int offset, int limit) {
    StringBuilder q = new StringBuilder("/vms?offset=" + offset + "&limit=" + limit);
    states.forEach(s -> q.append("&state=").append(segment(s)));
    if (plan != null) {
      q.append("&plan=").append(segment(plan));
    }
    if (request != null) {
      q.append("&request=").append(segment(request));
    }
    return q.toString();
  }

  /** A signal to the migration of one VM of a request. */
  public static String vmSignal(String requestId, String vmId, String signal) {
    return request(requestId) + "/vms/" + segment(vmId) + "/" + segment(signal);
  }
}
