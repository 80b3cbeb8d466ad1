package dev.vmigrate.api.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Strict JSON: an unknown field is an error that names the field (a misspelt option must not be
 * silently ignored), and so is anything after the body's one JSON value (a client that sends two
 * values or garbage after one must not see the first accepted) and a key given twice in one object;
 * every value must have its declared JSON type (no {@code 5} or {@code "true"} for a boolean, no
 * {@code 2.5} or {@code "2"} for a whole number, no number for a string); nesting depth and the
 * length of strings and numbers are bounded. Enums read case-insensitively ("hot", "HOT"); times as
 * ISO-8601 strings.
 */
@Singleton
public class JacksonSetup implements BeanCreatedEventListener<ObjectMapper> {
  /** The deepest nesting a body may have; the deepest the API's own records need is 4. */
  static final int MAX_DEPTH = 32;

  /** The longest string value: the longest field a record holds is 4000 characters. */
  static final int MAX_STRING = 65_536;

  /**
   * Times and durations only as ISO-8601 strings: Java's time module would read a number as epoch
   * seconds or as seconds, which a client writing {@code 60} for "an hour" or a timestamp in
   * milliseconds would not mean.
   */
  private static final SimpleModule STRICT_TIMES =
      new SimpleModule("vmigrate-strict-times")
          .setDeserializerModifier(
              new BeanDeserializerModifier() {
                @Override
                public JsonDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription desc, JsonDeserializer<?> d) {
                  Class<?> raw = desc.getBeanClass();
                  return raw == Duration.class || raw == Instant.class ? new TextOnly(raw, d) : d;
                }
              });

  /**
   * The {@code @Size} bound of a string, list or map field, enforced as the body is read: the first
   * value past its bound ends the reading with the validator's own words. Bean validation would
   * otherwise visit every element of a list far past its bound and collect a violation for each,
   * which takes time that grows faster than the body (a minute for 100,000 entries); here a body
   * costs the time to read it. The constraint stays the one source: the validator checks it again,
   * and the OpenAPI document is generated from it.
   */
  private static final SimpleModule SIZE_BOUNDS =
      new SimpleModule("vmigrate-size-bounds")
          .setDeserializerModifier(
              new BeanDeserializerModifier() {
                @Override
                public JsonDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription desc, JsonDeserializer<?> d) {
                  return desc.getBeanClass() == String.class ? new SizeBounded(d, -1) : d;
                }

                @Override
                public JsonDeserializer<?> modifyCollectionDeserializer(
                    DeserializationConfig config,
                    com.fasterxml.jackson.databind.type.CollectionType type,
                    BeanDescription desc,
                    JsonDeserializer<?> d) {
                  return new SizeBounded(d, -1);
                }

                @Override
                public JsonDeserializer<?> modifyMapDeserializer(
                    DeserializationConfig config,
                    com.fasterxml.jackson.databind.type.MapType type,
                    BeanDescription desc,
                    JsonDeserializer<?> d) {
                  return new SizeBounded(d, -1);
                }
              });

  /** A value past its field's {@code @Size} bound, in the words of a constraint violation. */
  static final class SizeExceeded extends JsonMappingException {
    private final String what;
    private final String rule;

    SizeExceeded(JsonParser p, String what, String rule) {
      super(p, what);
      this.what = what;
      this.rule = rule;
    }

    String what() {
      return what;
    }

    String rule() {
      return rule;
    }
  }

  /** Reads through the deserializer it wraps, then refuses a value longer than {@code max}. */
  static final class SizeBounded extends StdDeserializer<Object> implements ContextualDeserializer {
    private final JsonDeserializer<?> delegate;
    private final int max;

    SizeBounded(JsonDeserializer<?> delegate, int max) {
      super(Object.class);
      this.delegate = delegate;
      this.max = max;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
        throws JsonMappingException {
      JsonDeserializer<?> d =
          delegate instanceof ContextualDeserializer c
              ? c.createContextual(ctxt, property)
              : delegate;
      jakarta.validation.constraints.Size size =
          property == null
              ? null
              : property.getAnnotation(jakarta.validation.constraints.Size.class);
      // The property's own bound only: a list's elements are contextualised with the list's
      // property, whose bound counts entries, not an element's characters.
      boolean own =
          size != null
              && (property.getType().isContainerType()
                  ? !(d.handledType() == String.class)
                  : property.getType().getRawClass() == String.class);
      return new SizeBounded(d, own ? size.max() : -1);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Object v = delegate.deserialize(p, ctxt);
      // No field has a use for NUL, and PostgreSQL cannot store it in text: refused as read.
      if (v instanceof CharSequence cs && cs.toString().indexOf('\u0000') >= 0) {
        throw new SizeExceeded(p, "contains a NUL character (U+0000)", "no-nul");
      }
      if (max < 0 || v == null) {
        return v;
      }
      boolean text = v instanceof CharSequence;
      int size =
          text
              ? ((CharSequence) v).length()
              : v instanceof java.util.Collection<?> c
                  ? c.size()
                  : v instanceof java.util.Map<?, ?> m ? m.size() : -1;
      if (size > max) {
        String unit = text ? " characters" : " entries";
        throw new SizeExceeded(
            p, "at most " + max + unit + ", got " + size, text ? "max-length" : "max-items");
      }
      return v;
    }

    @Override
    public Object getNullValue(DeserializationContext ctxt) throws JsonMappingException {
      return delegate.getNullValue(ctxt);
    }

    @Override
    public Class<?> handledType() {
      return delegate.handledType();
    }
  }

  /** Reads a value only from a JSON string, through the deserializer it wraps. */
  static final class TextOnly extends StdDeserializer<Object> implements ContextualDeserializer {
    private final JsonDeserializer<?> delegate;

    TextOnly(Class<?> type, JsonDeserializer<?> delegate) {
      super(type);
      this.delegate = delegate;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
        throws JsonMappingException {
      JsonDeserializer<?> d =
          delegate instanceof ContextualDeserializer c
              ? c.createContextual(ctxt, property)
              : delegate;
      return new TextOnly(handledType(), d);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return ctxt.handleUnexpectedToken(handledType(), p);
      }
      return delegate.deserialize(p, ctxt);
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
    ObjectMapper m = event.getBean();
    m.registerModule(new JavaTimeModule());
    m.registerModule(STRICT_TIMES);
    m.registerModule(SIZE_BOUNDS);
    m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    m.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    m.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
    m.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    m.configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true);
    m.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    m.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);
    m.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
    m.configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false);
    m.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    m.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING)
                .maxNumberLength(64)
                .build());
    // No scalar of one JSON type read as another: ALLOW_COERCION_OF_SCALARS covers strings to
    // numbers and booleans; these cover the rest (a number for a boolean or a string, a boolean
    // for a string or a number, a float for an integer, a number for a time or a duration, which
    // are ISO-8601 strings); FAIL_ON_NUMBERS_FOR_ENUMS, a number for an enum.
    for (LogicalType t :
        new LogicalType[] {
          LogicalType.Boolean,
          LogicalType.Integer,
          LogicalType.Float,
          LogicalType.Textual,
          LogicalType.DateTime
        }) {
      var c = m.coercionConfigFor(t);
      for (CoercionInputShape shape :
          new CoercionInputShape[] {
            CoercionInputShape.Integer,
            CoercionInputShape.Float,
            CoercionInputShape.Boolean,
            CoercionInputShape.String,
            CoercionInputShape.EmptyString
          }) {
        boolean natural =
            (t == LogicalType.Boolean && shape == CoercionInputShape.Boolean)
                || (t == LogicalType.Integer && shape == CoercionInputShape.Integer)
                || (t == LogicalType.Float
                    && (shape == CoercionInputShape.Float || shape == CoercionInputShape.Integer))
                || ((t == LogicalType.Textual || t == LogicalType.DateTime)
                    && (shape == CoercionInputShape.String
                        || shape == CoercionInputShape.EmptyString));
        if (!natural) {
          c.setCoercion(shape, CoercionAction.Fail);
        }
      }
    }
    return m;
  }
}
