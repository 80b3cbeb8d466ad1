package dev.vmigrate.api.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

/**
 * The ledger rows of every request, filtered by state, plan and request, a page at a time: what
 * {@code GET /vms} lists. A null plan or request id does not filter.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface VmListRepository extends GenericRepository<RequestVmRow, String> {
  String FROM_WHERE =
      " FROM request_vm rv JOIN migration_request r ON r.id = rv.request_id"
          + " WHERE rv.state IN (:states)"
          + " AND (CAST(:planId AS VARCHAR(64)) IS NULL OR r.plan_id = :planId)"
          + " AND (CAST(:requestId AS VARCHAR(64)) IS NULL OR rv.request_id = :requestId)";

  /** A page of the matching rows, the most recently changed first. */
  @Query(
      "SELECT rv.*"
          + FROM_WHERE
          + " ORDER BY rv.updated_at DESC, rv.id LIMIT :limit OFFSET :offset")
  List<RequestVmRow> page(
      List<String> states,
      @Nullable String planId,
      @Nullable String requestId,
      int offset,
      int limit);

  /** How many rows match, over all pages. */
  @Query("SELECT COUNT(*)" + FROM_WHERE)
  long count(List<String> states, @Nullable String planId, @Nullable String requestId);
}
