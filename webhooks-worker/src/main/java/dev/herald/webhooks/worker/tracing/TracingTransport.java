package dev.herald.webhooks.worker.tracing;

import dev.herald.webhooks.spi.HandshakeAnswer;
import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A span per delivery attempt, and its W3C {@code traceparent} header on the request, so the
 * receiver's trace continues Herald's: on MicroProfile Telemetry's OpenTelemetry in the server, on
 * the autoconfigured SDK in the standalone worker ({@link WorkerTracing}). With the OpenTelemetry
 * SDK disabled (the default), spans are no-ops and no {@code traceparent} is sent. The header is
 * added after signing: signatures cover the body, not this header.
 */
public final class TracingTransport implements Transport {
  static final String SPAN_NAME = "webhook attempt";
  private static final TextMapSetter<Map<String, String>> HEADERS = Map::put;
  private static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("herald.event.id");
  private static final AttributeKey<String> EVENT_TYPE =
      AttributeKey.stringKey("herald.event.type");
  private static final AttributeKey<String> DELIVERY_ID =
      AttributeKey.stringKey("herald.delivery.id");
  private static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("herald.tenant.id");
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("herald.attempt");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Transport delegate;
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public TracingTransport(Transport delegate, OpenTelemetry openTelemetry) {
    this.delegate = delegate;
    this.tracer = openTelemetry.getTracer("dev.herald.webhooks");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  @Override
  public SendOutcome send(OutboundMessage message) {
    // No parent: the thread is a worker's, whatever context it carries is not this event's.
    Span span =
        tracer
            .spanBuilder(SPAN_NAME)
            .setNoParent()
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(EVENT_ID, message.eventId())
            .setAttribute(EVENT_TYPE, message.eventType())
            .setAttribute(DELIVERY_ID, message.deliveryId())
            .setAttribute(TENANT_ID, message.tenantId())
            .setAttribute(ATTEMPT, (long) message.attempt())
            .setAttribute(METHOD, "POST")
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      Map<String, String> headers = new LinkedHashMap<>(message.headers());
      propagator.inject(Context.current(), headers, HEADERS);
      SendOutcome outcome =
          delegate.send(
              new OutboundMessage(
                  message.deliveryId(),
                  message.eventId(),
                  message.eventType(),
                  message.tenantId(),
                  message.destination(),
                  message.attempt(),
                  message.body(),
                  headers));
      record(span, outcome);
      return outcome;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  private static void record(Span span, SendOutcome outcome) {
    if (outcome.response() != null && outcome.response().statusCode() > 0) {
      span.setAttribute(STATUS, (long) outcome.response().statusCode());
    }
    SendOutcome.Error error = outcome.error();
    if (error != null) {
      span.setAttribute(ERROR_TYPE, error.type());
      span.setStatus(StatusCode.ERROR, error.type());
    }
  }

  @Override
  public Duration pausedFor() {
    return delegate.pausedFor();
  }

  @Override
  public Optional<HandshakeAnswer> validate(String destination, Map<String, String> headers) {
    return delegate.validate(destination, headers);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
