package dev.vmigrate.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** What the catalog services of named resources (mappings, plans) share. */
final class CatalogSupport {
  private CatalogSupport() {}

  /** The row with this id, else the row with this name. */
  static <T> Optional<T> byIdOrName(
      String idOrName, Function<String, Optional<T>> byId, Function<String, Optional<T>> byName) {
    return byId.apply(idOrName).or(() -> byName.apply(idOrName));
  }

  /** Refuses a name that another row of the kind (one that is not {@code self}) already has. */
  static <T> void requireUniqueName(
      String kind, String name, Function<String, Optional<T>> byName, Predicate<T> self) {
    if (name != null && byName.apply(name).filter(self.negate()).isPresent()) {
      throw new ServiceException.Conflict(
          "name", "name: " + kind + " '" + name + "' already exists");
    }
  }

  /** A value as the JSON text of its column. */
  static String toJson(ObjectMapper json, Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
