package dev.vmigrate.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A database refusal that escapes the services: its kind's status, never its SQL or classes. */
class DatabaseBackstopTest {
  private static ApiError answer(String sqlState, int status) {
    DataAccessException e =
        new DataAccessException(
            "Error executing PERSIST: Value too long; SQL statement:\nINSERT INTO \"plan\" ...",
            new SQLException("Value too long for column; SQL statement: INSERT INTO", sqlState));
    HttpResponse<ApiError> r = ErrorHandlers.database(HttpRequest.POST("/plans", ""), e);
    assertEquals(status, r.code());
    ApiError body = r.body();
    assertEquals(status, body.status());
    for (String leak : new String[] {"INSERT", "SQL", "Exception", "plan\""}) {
      assertFalse(body.message().contains(leak), body.message());
    }
    return body;
  }

  @Test
  void eachKindOfRefusalHasItsStatus() {
    answer("23505", 409);
    answer("23503", 409);
    answer("22001", 400);
    answer("08006", 500);
    answer(null, 500);
  }
}
