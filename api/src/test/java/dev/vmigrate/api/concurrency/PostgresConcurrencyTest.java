package dev.vmigrate.api.concurrency;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The concurrency contract on PostgreSQL, at {@code VMIGRATE_PG_URL} as for {@code
 * PostgresPersistenceTest}: skipped on a developer machine without it, failed under CI (env {@code
 * CI} set) without it. The database may be shared with other test classes: each test makes its own
 * names, and uses VMs (app01..03) the persistence contract leaves free.
 */
class PostgresConcurrencyTest extends ConcurrencyContract {
  @Override
  Map<String, Object> database() {
    String url = System.getenv("VMIGRATE_PG_URL");
    if (url == null || url.isBlank()) {
      String why = "VMIGRATE_PG_URL is not set; start one with: eval \"$(scripts/postgres start)\"";
      if (System.getenv("CI") != null) {
        fail("CI is set but " + why);
      }
      Assumptions.abort(why);
    }
    return Map.of(
        "datasources.default.url", url,
        "datasources.default.username", env("VMIGRATE_PG_USER", "vmigrate"),
        "datasources.default.password", env("VMIGRATE_PG_PASSWORD", ""));
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
