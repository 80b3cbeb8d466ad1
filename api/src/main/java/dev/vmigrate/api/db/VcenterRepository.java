package dev.vmigrate.api.db;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** vCenter connections. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface VcenterRepository extends CrudRepository<VcenterRow, String> {
  List<VcenterRow> listOrderById();
}
