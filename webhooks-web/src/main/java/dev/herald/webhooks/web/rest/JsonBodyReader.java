package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.json.JsonInputException;
import dev.herald.webhooks.core.json.StrictJson;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads every request body of the API: at most a limit of bytes (refused from {@code
 * Content-Length} before reading, or as soon as the stream passes it), parsed by {@link
 * StrictJson}, which ends at once on truncated input. A client that stops sending is cut off by the
 * server's read timeout.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class JsonBodyReader implements MessageBodyReader<JsonBody> {
  /** The limit of bodies that carry no events: endpoints, tenants, keys, phases, redrives. */
  static final int DEFAULT_MAX_BYTES = 64 * 1024;

  /** The most any body may hold, a batch of events included. */
  static final int MAX_BYTES = 32 * 1024 * 1024;

  private static final int DEFAULT_EVENT_MAX_BYTES = 256 * 1024;

  @Inject HeraldConfiguration configuration;

  @Override
  public boolean isReadable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return type == JsonBody.class;
  }

  @Override
  public JsonBody readFrom(
      Class<JsonBody> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, String> headers,
      InputStream entity)
      throws IOException {
    int limit = limit(annotations);
    String declared = headers.getFirst(HttpHeaders.CONTENT_LENGTH);
    if (declared != null
        && declared.length() < 19
        && declared.chars().allMatch(Character::isDigit)
        && Long.parseLong(declared) > limit) {
      throw tooLarge(limit);
    }
    byte[] bytes;
    try {
      bytes = entity.readNBytes(limit + 1);
    } catch (IOException e) {
      // The client stopped sending (the read timeout) or went away in the middle of its body.
      throw new Problem.Failure(
          Problem.of(
              400,
              "incomplete-body",
              "Incomplete body",
              "the request body did not arrive in full within the server's read timeout"));
    }
    if (bytes.length > limit) {
      throw tooLarge(limit);
    }
    try {
      Map<String, Object> fields = StrictJson.parseObject(bytes, StrictJson.DEFAULT_LIMITS);
      return new JsonBody(fields, "");
    } catch (JsonInputException e) {
      Problem problem =
          switch (e.reason()) {
            case MALFORMED -> Problem.of(400, "malformed-json", "Malformed JSON", e.getMessage());
            case INVALID_VALUE -> Problem.of(400, "invalid-json", "Invalid JSON", e.getMessage());
            case TOO_LARGE ->
                Problem.of(413, "payload-too-large", "Body too large", e.getMessage());
          };
      throw new Problem.Failure(e.path().isEmpty() ? problem : problem.withField(e.path()));
    }
  }

  private int limit(Annotation[] annotations) {
    return Arrays.stream(annotations)
        .filter(BodyLimit.class::isInstance)
        .map(BodyLimit.class::cast)
        .findFirst()
        .map(
            events -> {
              int eventBytes =
                  configuration
                      .settings()
                      .map(HeraldSettings::maxPayloadBytes)
                      .orElse(DEFAULT_EVENT_MAX_BYTES);
              // Twice an event's data: the envelope, and escapes that the size check undoes.
              long bytes = (long) events.events() * 2 * eventBytes + 16 * 1024;
              return (int) Math.min(bytes, MAX_BYTES);
            })
        .orElse(DEFAULT_MAX_BYTES);
  }

  private static Problem.Failure tooLarge(int limit) {
    return new Problem.Failure(
        Problem.of(
            413,
            "payload-too-large",
            "Body too large",
            "the request body may hold at most " + limit + " bytes here"));
  }
}
