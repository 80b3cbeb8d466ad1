package dev.vmigrate.cli.client;

import static dev.vmigrate.cli.client.ApiClient.segment;

/** The REST API's resource paths, in one place. */
public final class ApiPaths {
  static final String ROOT = "/api/v1";

  private ApiPaths() {}

  public static String vcenters() {
    return ROOT + "/vcenters";
  }

  public static String inventory(String vcenter) {
    return vcenters() + "/" + segment(vcenter) + "/inventory";
  }

  public static String mappings() {
    return ROOT + "/mappings";
  }

  public static String mapping(String idOrName) {
    return mappings() + "/" + segment(idOrName);
  }

  public static String plans() {
    return ROOT + "/plans";
  }

  public static String plan(String idOrName) {
    return plans() + "/" + segment(idOrName);
  }

  public static String planVms(String idOrName) {
    return plan(idOrName) + "/vms";
  }

  public static String planOrder(String idOrName) {
    return plan(idOrName) + "/order";
  }

  public static String request(String id) {
    return ROOT + "/requests/" + segment(id);
  }

  public static String requestApprove(String id) {
    return request(id) + "/approve";
  }

  public static String migration(String id) {
    return ROOT + "/migrations/" + segment(id);
  }

  public static String migrationSignal(String id, String signal) {
    return migration(id) + "/" + signal;
  }
}
