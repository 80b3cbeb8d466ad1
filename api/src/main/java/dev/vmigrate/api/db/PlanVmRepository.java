package dev.vmigrate.api.db;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** The VMs of plans. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PlanVmRepository extends CrudRepository<PlanVmRow, String> {
  List<PlanVmRow> findByPlanIdOrderByPosition(String planId);

  void deleteByPlanId(String planId);
}
