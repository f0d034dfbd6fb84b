package dev.herald.webhooks.worker.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The standalone worker's OpenTelemetry: off unless {@code OTEL_SDK_DISABLED=false}, the switch the
 * server's MicroProfile Telemetry uses, then configured from the standard {@code OTEL_*} variables
 * (exporter, endpoint, sampler, service name) by the SDK's autoconfiguration. Spans are exported
 * with OTLP over HTTP (http/protobuf) by the JDK's HTTP client; metrics and logs are not exported
 * unless their variables say so.
 */
public final class WorkerTracing {
  private WorkerTracing() {}

  /**
   * The SDK, or empty when tracing is off.
   *
   * @param settings reads a setting by its property name ({@code otel.sdk.disabled}, ...)
   * @throws RuntimeException when the {@code OTEL_*} settings are invalid
   */
  public static Optional<OpenTelemetrySdk> start(Function<String, Optional<String>> settings) {
    boolean disabled =
        settings
            .apply("otel.sdk.disabled")
            .map(v -> !v.strip().equalsIgnoreCase("false"))
            .orElse(true);
    if (disabled) {
      return Optional.empty();
    }
    return Optional.of(
        AutoConfiguredOpenTelemetrySdk.builder()
            // Defaults that OTEL_* variables override: OTLP over HTTP, which the JDK sender
            // speaks (the SDK's default, gRPC, would need another client), and no metrics or
            // logs export (the worker serves /metrics, and logs go to standard error).
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
            .setResultAsGlobal()
            .build()
            .getOpenTelemetrySdk());
  }
}
