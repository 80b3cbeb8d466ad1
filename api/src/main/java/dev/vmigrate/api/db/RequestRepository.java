package dev.vmigrate.api.db;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;

/** Requests (orders of plans). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RequestRepository extends CrudRepository<RequestRow, String> {
  List<RequestRow> findByPlanIdOrderByCreatedAtDesc(String planId);

  List<RequestRow> listOrderByCreatedAtDesc();

  boolean existsByPlanIdAndRequestStateNotEqual(String planId, String requestState);

  @Query(
      "UPDATE migration_request SET request_state = :requestState, status = :status,"
          + " message = :message, updated_at = :now WHERE id = :id")
  long updateState(String id, String requestState, String status, String message, Instant now);
}
