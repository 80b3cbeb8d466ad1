package dev.vmigrate.api.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Strict JSON: an unknown field is an error that names the field (a misspelt option must not be
 * silently ignored), and so is anything after the body's one JSON value (a client that sends two
 * values or garbage after one must not see the first accepted); enums read case-insensitively
 * ("hot", "HOT"); times as ISO-8601 strings.
 */
@Singleton
public class JacksonSetup implements BeanCreatedEventListener<ObjectMapper> {
  @Override
  @SuppressWarnings("deprecation")
  public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
    ObjectMapper m = event.getBean();
    m.registerModule(new JavaTimeModule());
    m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    m.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    m.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);
    m.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
    m.configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false);
    return m;
  }
}
