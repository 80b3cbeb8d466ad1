package dev.vmigrate.api.concurrency;

import java.util.Map;

/** The concurrency contract on the embedded H2 database (PostgreSQL mode), always run. */
class H2ConcurrencyTest extends ConcurrencyContract {
  @Override
  Map<String, Object> database() {
    return Map.of(
        "datasources.default.url",
        "jdbc:h2:mem:concurrency;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "datasources.default.username",
        "sa",
        "datasources.default.password",
        "");
  }
}
