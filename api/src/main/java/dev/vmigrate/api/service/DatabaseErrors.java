package dev.vmigrate.api.service;

import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a database exception means, read from the SQLState of the SQL exception it wraps. */
public final class DatabaseErrors {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseErrors.class);

  /** SQLState of a unique or primary key violation (PostgreSQL and H2 alike). */
  public static final String UNIQUE_VIOLATION = "23505";

  private DatabaseErrors() {}

  /** The first SQL exception in the cause chain, if any. */
  public static Optional<SQLException> sqlCause(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return Optional.of(sql);
      }
    }
    return Optional.empty();
  }

  /** The SQLState of the first SQL exception in the cause chain, or null. */
  public static String sqlState(Throwable e) {
    return sqlCause(e).map(SQLException::getSQLState).orElse(null);
  }

  /**
   * Runs a write that a unique index guards; a violation of it (another client stored the same name
   * or id between the service's own check and this write) becomes the duplicate's refusal.
   */
  static <T> T unique(Supplier<T> write, Supplier<ServiceException> duplicate) {
    try {
      return write.get();
    } catch (RuntimeException e) {
      if (UNIQUE_VIOLATION.equals(sqlState(e))) {
        ServiceException refusal = duplicate.get();
        LOG.info("a concurrent write stored it first: {}", refusal.getMessage());
        throw refusal;
      }
      throw e;
    }
  }
}
