package dev.vmigrate.api.db;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Plans. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PlanRepository extends CrudRepository<PlanRow, String> {
  List<PlanRow> listOrderByName();

  Optional<PlanRow> findByName(String name);

  boolean existsByMappingId(String mappingId);

  /** The plans (archived ones too) that use a mapping, by name. */
  List<PlanRow> findByMappingIdOrderByName(String mappingId);

  /** The plans that are not archived, by name. */
  @Query("SELECT * FROM plan WHERE archived_at IS NULL ORDER BY name")
  List<PlanRow> listLive();

  /** Archives a plan unless it already is; 0 then. */
  @Query(
      "UPDATE plan SET archived_at = :now, updated_at = :now WHERE id = :id AND archived_at IS NULL")
  long archive(String id, Instant now);
}
