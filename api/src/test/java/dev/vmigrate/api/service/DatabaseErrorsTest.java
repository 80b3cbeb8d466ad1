package dev.vmigrate.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.data.exceptions.DataAccessException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A unique violation at a write becomes the duplicate's refusal; anything else goes on. */
class DatabaseErrorsTest {
  private static DataAccessException refused(String sqlState) {
    return new DataAccessException(
        "Error executing PERSIST: INSERT INTO plan ...", new SQLException("refused", sqlState));
  }

  @Test
  void aUniqueViolationIsTheDuplicatesConflict() {
    ServiceException e =
        assertThrows(
            ServiceException.Conflict.class,
            () ->
                CatalogSupport.storeNamed(
                    "plan",
                    "p1",
                    () -> {
                      throw refused(DatabaseErrors.UNIQUE_VIOLATION);
                    }));
    assertEquals("name", e.field());
    assertEquals("name: plan 'p1' already exists", e.getMessage());
  }

  @Test
  void otherDatabaseErrorsPassThrough() {
    DataAccessException tooLong = refused("22001");
    assertSame(
        tooLong,
        assertThrows(
            DataAccessException.class,
            () ->
                DatabaseErrors.unique(
                    () -> {
                      throw tooLong;
                    },
                    () -> new ServiceException.Conflict("id", "id: exists"))));
    assertEquals("22001", DatabaseErrors.sqlState(new RuntimeException(tooLong)));
  }
}
