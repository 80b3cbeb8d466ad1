package dev.vmigrate.api.db;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

/** Infrastructure mappings. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MappingRepository extends CrudRepository<MappingRow, String> {
  List<MappingRow> listOrderByName();

  Optional<MappingRow> findByName(String name);

  boolean existsBySourceVcenterOrDestinationVcenter(String source, String destination);
}
