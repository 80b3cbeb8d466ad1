package dev.vmigrate.cli.client;

import static dev.vmigrate.cli.client.ApiClient.segment;

/** The REST API's resource paths, in one place. */
public final class ApiPaths {
  private ApiPaths() {}

  public static String vcenters() {
    return "/vcenters";
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

  public static String plan(String idOrName) {
    return plans() + "/" + segment(idOrName);
  }

  public static String planImport(String idOrName) {
    return plan(idOrName) + "/vms/import";
  }

  public static String planOrder(String idOrName) {
    return plan(idOrName) + "/order";
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

  /** A signal to the migration of one VM of a request. */
  public static String vmSignal(String requestId, String vmId, String signal) {
    return request(requestId) + "/vms/" + segment(vmId) + "/" + segment(signal);
  }
}
