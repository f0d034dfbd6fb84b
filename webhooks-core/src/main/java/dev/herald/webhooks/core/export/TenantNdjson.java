package dev.herald.webhooks.core.export;

import dev.herald.webhooks.core.json.JsonWriter;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.SigningSecret;
import dev.herald.webhooks.spi.TenantStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tenant's export as NDJSON ({@code application/x-ndjson}): one JSON object a line, each with a
 * {@code "kind"}: {@code tenant}, {@code endpoint} (signing secrets and custom header values
 * masked), {@code event} (with its envelope as stored), {@code delivery} and {@code attempt}. The
 * same lines for the REST route and the worker's command line. Not thread-safe.
 */
public final class TenantNdjson implements TenantStore.ExportSink {
  static final String MASK = "****";

  private final OutputStream out;
  private long lines;

  public TenantNdjson(OutputStream out) {
    this.out = out;
  }

  /** Lines written so far. */
  public long lines() {
    return lines;
  }

  @Override
  public void tenant(TenantStore.Tenant tenant) {
    Map<String, Object> line = line("tenant");
    line.put("id", tenant.id());
    line.put("name", tenant.name());
    line.put("created_at", time(tenant.createdAt()));
    write(line);
  }

  @Override
  public void endpoint(Endpoint e) {
    Map<String, Object> line = line("endpoint");
    line.put("id", e.id());
    line.put("url", e.url());
    line.put("transport", e.transport());
    line.put("event_types", e.eventTypes());
    line.put("signature_profile", e.signatureProfile().wireName());
    line.put("description", e.description());
    Map<String, Object> headers = new LinkedHashMap<>();
    e.customHeaders().keySet().forEach(name -> headers.put(name, MASK));
    line.put("custom_headers", headers);
    line.put(
        "retry_delays",
        e.retryDelays() == null ? null : e.retryDelays().stream().map(Duration::toString).toList());
    line.put("max_in_flight", e.maxInFlight());
    line.put("rate_limit_per_second", e.rateLimitPerSecond());
    line.put("active", e.active());
    line.put("disabled_reason", e.disabledReason());
    line.put("failing_since", time(e.failingSince()));
    line.put("last_success_at", time(e.lastSuccessAt()));
    line.put("created_at", time(e.createdAt()));
    line.put("secrets", e.secrets().stream().map(TenantNdjson::masked).toList());
    write(line);
  }

  private static Map<String, Object> masked(SigningSecret secret) {
    Map<String, Object> s = new LinkedHashMap<>();
    String value = secret.value();
    int prefix = value.indexOf('_');
    s.put("secret", (prefix > 0 && prefix < 10 ? value.substring(0, prefix + 1) : "") + MASK);
    s.put("expires_at", time(secret.expiresAt()));
    return s;
  }

  @Override
  public void event(TenantStore.ExportedEvent event) {
    Map<String, Object> line = line("event");
    line.put("id", event.id());
    line.put("type", event.type());
    line.put("subject", event.subject());
    line.put("sequence", event.sequence());
    line.put("created_at", time(event.createdAt()));
    String fields = JsonWriter.write(line, JsonWriter.Style.COMPACT);
    // The envelope is stored as UTF-8 JSON: it goes in as it is, not parsed and written again.
    writeLine(
        fields.substring(0, fields.length() - 1)
            + ",\"envelope\":"
            + new String(event.envelope(), StandardCharsets.UTF_8)
            + "}");
  }

  @Override
  public void delivery(DeliveryView d) {
    Map<String, Object> line = line("delivery");
    line.put("id", d.id());
    line.put("event_id", d.eventId());
    line.put("event_type", d.eventType());
    line.put("transport", d.target().transport());
    line.put("endpoint_id", d.target().endpointId());
    line.put("status", d.status().wireName());
    line.put("attempts", d.attempts());
    line.put("last_status_code", d.lastStatusCode());
    line.put("last_error", d.lastError());
    line.put("dead_reason", d.deadReason());
    line.put("next_attempt_at", time(d.nextAttemptAt()));
    line.put("created_at", time(d.createdAt()));
    line.put("updated_at", time(d.updatedAt()));
    write(line);
  }

  @Override
  public void attempt(String deliveryId, AttemptRecord a) {
    Map<String, Object> line = line("attempt");
    line.put("delivery_id", deliveryId);
    line.put("number", a.number());
    line.put("started_at", time(a.startedAt()));
    line.put("duration_ms", a.duration() == null ? null : a.duration().toMillis());
    line.put("status_code", a.statusCode());
    line.put("response_excerpt", a.responseExcerpt());
    line.put("error_type", a.errorType());
    line.put("error_message", a.errorMessage());
    write(line);
  }

  private static Map<String, Object> line(String kind) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("kind", kind);
    return line;
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private void write(Map<String, Object> line) {
    writeLine(JsonWriter.write(line, JsonWriter.Style.COMPACT));
  }

  private void writeLine(String json) {
    try {
      out.write(json.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
