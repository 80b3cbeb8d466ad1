package dev.vmigrate.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** With the explicit demo setting, a loopback client needs no token. */
@MicronautTest
@Property(name = "vmigrate.auth.allow-unauthenticated", value = "true")
@Property(name = "vmigrate.auth.tokens", value = "")
@Property(name = "vmigrate.ledger-worker.enabled", value = "false")
@Property(
    name = "datasources.default.url",
    value =
        "jdbc:h2:mem:loopback;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class LoopbackDemoTest {
  @Inject
  @Client("/")
  HttpClient http;

  @Test
  void loopbackClientPassesWithoutToken() {
    assertEquals(
        HttpStatus.OK,
        http.toBlocking()
            .exchange(HttpRequest.GET("/vcenters"), Argument.listOf(Object.class))
            .getStatus());
  }
}
