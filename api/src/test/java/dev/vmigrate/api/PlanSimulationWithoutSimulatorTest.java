package dev.vmigrate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An API process without a plan simulator (the API alone, without the all-in-one server) answers a
 * simulation with 503, saying where simulations run.
 */
@MicronautTest(transactional = false)
@Property(name = "vmigrate.test.no-simulator", value = "true")
@Property(name = "vmigrate.ledger-worker.enabled", value = "false")
@Property(
    name = "datasources.default.url",
    value =
        "jdbc:h2:mem:no-simulator;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class PlanSimulationWithoutSimulatorTest {
  @Inject
  @Client("/")
  HttpClient http;

  @Test
  void aSimulationIs503NamingTheAllInOneServer() {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                http.toBlocking()
                    .exchange(
                        HttpRequest.POST("/plans/any-plan/simulate", Map.of())
                            .bearerAuth("test-token"),
                        Argument.mapOf(String.class, Object.class)));

    assertEquals(HttpStatus.SERVICE_UNAVAILABLE, e.getStatus());
    assertEquals(
        "application/problem+json",
        e.getResponse().getContentType().map(MediaType::toString).orElse(""));
    Map<?, ?> problem = e.getResponse().getBody(Map.class).orElseThrow();
    assertEquals("simulator", problem.get("field"));
    String message = (String) problem.get("message");
    assertTrue(message.contains("all-in-one server (vmigrate server)"), message);
  }
}
