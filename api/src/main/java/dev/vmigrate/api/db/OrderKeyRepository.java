package dev.vmigrate.api.db;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** Idempotency keys of orders; the key is the primary key, so one key is one request. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OrderKeyRepository extends CrudRepository<OrderKeyRow, String> {}
