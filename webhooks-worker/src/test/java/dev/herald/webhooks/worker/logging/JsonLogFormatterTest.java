package dev.herald.webhooks.worker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.json.JsonReader;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
  private final JsonLogFormatter formatter = new JsonLogFormatter();

  private static LogRecord record(String message, Object... params) {
    LogRecord record = new LogRecord(Level.WARNING, message);
    record.setLoggerName("dev.herald.webhooks.worker.DeliveryWorker");
    record.setParameters(params);
    record.setMillis(1_763_932_503_123L);
    return record;
  }

  @Test
  void oneJsonObjectPerLineWithTheFormattedMessage() {
    String line = formatter.format(record("endpoint {0} disabled: {1}", "wh_1", "410 \"Gone\""));
    assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n" + "{");
    Map<String, Object> json = JsonReader.readObject(line.strip());
    assertThat(json)
        .containsEntry("timestamp", "2025-11-23T21:15:03.123Z")
        .containsEntry("level", "WARNING")
        .containsEntry("logger", "dev.herald.webhooks.worker.DeliveryWorker")
        .containsEntry("message", "endpoint wh_1 disabled: 410 \"Gone\"");
  }

  @Test
  void addsTheDeliveryTheThreadWorksOnAndDropsItAfterwards() {
    try (LogContext.Scope scope =
        LogContext.with(Map.of("event_id", "evt_1", "delivery_id", "dlv_1", "attempt", "2"))) {
      Map<String, Object> json = JsonReader.readObject(formatter.format(record("sending")).strip());
      assertThat(json)
          .containsEntry("event_id", "evt_1")
          .containsEntry("delivery_id", "dlv_1")
          .containsEntry("attempt", "2");
    }
    assertThat(JsonReader.readObject(formatter.format(record("idle")).strip()))
        .doesNotContainKey("event_id");
  }

  @Test
  void exceptionsBecomeAnErrorObjectOnTheSameLine() {
    LogRecord record = record("failed");
    record.setThrown(new IllegalStateException("boom"));
    String line = formatter.format(record);
    assertThat(line.strip()).doesNotContain("\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> error =
        (Map<String, Object>) JsonReader.readObject(line.strip()).get("error");
    assertThat(error)
        .containsEntry("class", "java.lang.IllegalStateException")
        .containsEntry("message", "boom");
    assertThat((String) error.get("stack")).contains("JsonLogFormatterTest");
  }
}
