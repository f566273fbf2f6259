package io.testrig.rig;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.testrig.rig.StackSpec.ProbeSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code probe:} mapping into its {@link ProbeSpec} kind. Errors read as every other
 * mapping error does (RigLoader names file, line and key): an unknown key lists the known ones, a
 * wrong value type names the type, and anything but exactly one key is refused at {@code probe}.
 */
final class ProbeReader extends JsonDeserializer<ProbeSpec> {
  private static final List<Object> KEYS = List.of("command", "http", "log", "tcp");

  @Override
  public ProbeSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return (ProbeSpec) ctxt.handleUnexpectedToken(ProbeSpec.class, p);
    }
    List<ProbeSpec> kinds = new ArrayList<>();
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      if (!KEYS.contains(key)) {
        throw UnrecognizedPropertyException.from(p, ProbeSpec.class, key, KEYS);
      }
      p.nextToken();
      try {
        kinds.add(kind(key, p, ctxt));
      } catch (JsonMappingException e) {
        throw JsonMappingException.wrapWithPath(e, ProbeSpec.class, key);
      }
    }
    kinds.removeIf(k -> k == null);
    if (kinds.size() != 1) {
      throw JsonMappingException.from(p, "needs exactly one of tcp, http, log, command");
    }
    return kinds.get(0);
  }

  /** One key's kind; null for an explicit null value (which does not count as set). */
  private static ProbeSpec kind(String key, JsonParser p, DeserializationContext ctxt)
      throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    return switch (key) {
      case "tcp" -> new ProbeSpec.Tcp(ctxt.readValue(p, Integer.class));
      case "http" -> new ProbeSpec.Http(ctxt.readValue(p, String.class));
      case "log" -> new ProbeSpec.Log(ctxt.readValue(p, String.class));
      default ->
          new ProbeSpec.Command(
              ctxt.readValue(
                  p, ctxt.getTypeFactory().constructType(new TypeReference<List<String>>() {})));
    };
  }
}
