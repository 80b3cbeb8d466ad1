package dev.vmigrate.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
      throw duplicateName(kind, name);
    }
  }

  /** The refusal of a name another row of the kind already has. */
  static ServiceException duplicateName(String kind, String name) {
    return new ServiceException.Conflict(
        "name", "name: " + kind + " '" + name + "' already exists");
  }

  /**
   * Stores a row whose name a unique index guards: a name another client stored since {@link
   * #requireUniqueName} looked is refused the same way.
   */
  static <T> T storeNamed(String kind, String name, Supplier<T> write) {
    return DatabaseErrors.unique(write, () -> duplicateName(kind, name));
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
