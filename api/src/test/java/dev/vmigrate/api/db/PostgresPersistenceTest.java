package dev.vmigrate.api.db;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The persistence contract on PostgreSQL, at {@code VMIGRATE_PG_URL} with {@code VMIGRATE_PG_USER}
 * and {@code VMIGRATE_PG_PASSWORD} (see {@code scripts/postgres}). Skipped on a developer machine
 * without it; under CI (env {@code CI} set) a missing database fails, so it cannot pass unrun.
 */
class PostgresPersistenceTest extends PersistenceContract {
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
