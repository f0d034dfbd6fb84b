package dev.herald.webhooks.web.application;

import dev.herald.webhooks.api.NewEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes the {@link NewEvent}s code in the application fires as CDI events ({@code @Inject
 * Event<NewEvent> events; events.fire(...)}), as {@link dev.herald.webhooks.api.EventPublisher}
 * would. The observer is synchronous: the event is stored when {@code fire} returns, and a refusal
 * ({@link dev.herald.webhooks.api.InvalidEventException}, or {@link IllegalStateException} while
 * Herald is not running) is thrown to the caller. Inject the publisher instead when the event id is
 * needed.
 */
@ApplicationScoped
public class NewEventObserver {
  @Inject HeraldRuntime runtime;

  void publish(@Observes NewEvent event) {
    runtime.publish(event);
  }
}
