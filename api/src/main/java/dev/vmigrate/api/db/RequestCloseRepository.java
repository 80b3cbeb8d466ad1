package dev.vmigrate.api.db;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** Closes of requests whose workflow was lost. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RequestCloseRepository extends CrudRepository<RequestCloseRow, String> {}
