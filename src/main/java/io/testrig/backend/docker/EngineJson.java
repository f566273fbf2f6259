package io.testrig.backend.docker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The engine's JSON, read into Jackson's tree model with the streaming parser and written from
 * plain maps and lists with the streaming generator. No {@code ObjectMapper}: it binds nothing
 * here, and building one (serializer and deserializer caches, bean introspection) is most of what
 * made the first request of each kind slow (issue 11).
 */
final class EngineJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EngineJson() {}

  static JsonNode read(InputStream in) throws IOException {
    try (JsonParser p = FACTORY.createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("the engine sent an empty body where JSON was expected");
      }
      return value(p, t);
    }
  }

  static JsonNode read(byte[] bytes) throws IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("empty JSON");
      }
      return value(p, t);
    }
  }

  /**
   * Reads a stream of JSON values one after another (events, pull progress: the engine writes one
   * object per message,
   * https://docs.docker.com/reference/api/engine/version/v1.41/#operation/SystemEvents) and hands
   * each to {@code sink} as soon as it is complete; returns at the end of the stream.
   */
  static void readEach(InputStream in, Consumer<JsonNode> sink) throws IOException {
    try (JsonParser p = FACTORY.createParser(in)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        sink.accept(value(p, t));
      }
    }
  }

  /** The value starting at the current token {@code t}. */
  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        ObjectNode o = NODES.objectNode();
        for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      case START_ARRAY:
        ArrayNode a = NODES.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(value(p, e));
        }
        return a;
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? NODES.numberNode(p.getBigIntegerValue())
            : NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IOException("unexpected JSON token " + t + " from the engine");
    }
  }

  /** A text field, or null when it is absent or JSON null. */
  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** A JSON object of strings (labels, event attributes); empty when absent or null. */
  static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    }
    out.values().removeIf(v -> v == null);
    return out;
  }

  /**
   * JSON of maps (string keys), lists, strings, numbers, booleans and nulls: the request bodies.
   */
  static byte[] write(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object e : l) {
        write(g, e);
      }
      g.writeEndArray();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long n) {
      g.writeNumber(n);
    } else if (v instanceof Integer n) {
      g.writeNumber(n);
    } else {
      g.writeString(String.valueOf(v));
    }
  }

  /**
   * The {@code filters} query parameter: a JSON map of lists, URL-encoded, e.g. {@code
   * filters={"label":["k=v"]}}
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerList).
   */
  static String filters(Map<String, List<String>> filters) {
    return "filters=" + query(new String(write(filters), StandardCharsets.UTF_8));
  }

  /** One query parameter value, URL-encoded. */
  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
