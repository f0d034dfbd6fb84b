package dev.herald.webhooks.web.observability;

import dev.herald.webhooks.worker.logging.LogContext;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the worker's {@link LogContext} fields ({@code event_id}, {@code delivery_id}, {@code
 * endpoint_id}, {@code attempt}) on the server's log records, so that Liberty's JSON logs carry
 * them as fields ({@code ext_event_id}, ...) and not only inside the message. It registers
 * extensions with Liberty's {@code LogRecordContext}, reached by reflection so that the WAR keeps
 * to Jakarta EE and MicroProfile APIs; on another server it does nothing.
 */
public final class ServerLogFields {
  static final List<String> FIELDS = List.of("event_id", "delivery_id", "endpoint_id", "attempt");
  private static final String CONTEXT = "com.ibm.websphere.logging.hpel.LogRecordContext";
  private static final System.Logger LOG = System.getLogger(ServerLogFields.class.getName());

  // Liberty keeps extensions through weak references: hold them while registered.
  private static final List<Object> registered = new ArrayList<>();

  private ServerLogFields() {}

  /** Registers the fields; true when the server supports it. */
  public static synchronized boolean register() {
    if (!registered.isEmpty()) {
      return true;
    }
    try {
      Class<?> context = Class.forName(CONTEXT, true, ServerLogFields.class.getClassLoader());
      Class<?> extension = Class.forName(CONTEXT + "$Extension", true, context.getClassLoader());
      Method register = context.getMethod("registerExtension", String.class, extension);
      for (String field : FIELDS) {
        Object value =
            Proxy.newProxyInstance(
                extension.getClassLoader(),
                new Class<?>[] {extension},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "getValue":
                      // Null leaves the field out of the record.
                      return LogContext.current().get(field);
                    case "hashCode":
                      return System.identityHashCode(proxy);
                    case "equals":
                      return proxy == args[0];
                    default:
                      return "ServerLogFields[" + field + "]";
                  }
                });
        register.invoke(null, field, value);
        registered.add(value);
      }
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "log records will not carry delivery fields: {0}", e);
      unregister();
      return false;
    }
  }

  /** Removes the fields (application stop). */
  public static synchronized void unregister() {
    if (registered.isEmpty()) {
      return;
    }
    try {
      Class<?> context = Class.forName(CONTEXT, true, ServerLogFields.class.getClassLoader());
      Method unregister = context.getMethod("unregisterExtension", String.class);
      for (String field : FIELDS) {
        unregister.invoke(null, field);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "unregistering log fields failed", e);
    } finally {
      registered.clear();
    }
  }
}
