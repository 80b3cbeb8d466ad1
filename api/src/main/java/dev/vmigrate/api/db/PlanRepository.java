package dev.vmigrate.api.db;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

/** Plans. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PlanRepository extends CrudRepository<PlanRow, String> {
  List<PlanRow> listOrderByName();

  Optional<PlanRow> findByName(String name);

  boolean existsByMappingId(String mappingId);
}
