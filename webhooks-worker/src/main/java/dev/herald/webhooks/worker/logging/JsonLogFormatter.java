package dev.herald.webhooks.worker.logging;

import dev.herald.webhooks.core.json.JsonWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Formats java.util.logging records (and so System.Logger's) as one JSON object per line: {@code
 * timestamp}, {@code level}, {@code logger}, {@code thread}, {@code message}, the {@link
 * LogContext} fields, and {@code error} with the exception's class, message and stack.
 */
public final class JsonLogFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
    line.put("level", record.getLevel().getName());
    line.put("logger", record.getLoggerName());
    line.put("thread", Thread.currentThread().getName());
    line.put("message", formatMessage(record));
    line.putAll(LogContext.current());
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      StringWriter stack = new StringWriter();
      thrown.printStackTrace(new PrintWriter(stack));
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("class", thrown.getClass().getName());
      error.put("message", thrown.getMessage());
      error.put("stack", stack.toString());
      line.put("error", error);
    }
    return JsonWriter.write(line, JsonWriter.Style.COMPACT) + System.lineSeparator();
  }
}
