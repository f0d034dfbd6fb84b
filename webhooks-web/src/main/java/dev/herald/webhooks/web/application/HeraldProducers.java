package dev.herald.webhooks.web.application;

import dev.herald.webhooks.api.EventPublisher;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.spi.EndpointStore;
import dev.herald.webhooks.store.jpa.JpaStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The beans applications and resources inject. {@link EventPublisher} publishes in-process, for
 * applications deployed on the same server; it throws {@link IllegalStateException} with the reason
 * while Herald is not running (invalid configuration, database unreachable at start-up).
 */
@ApplicationScoped
public class HeraldProducers {
  @Inject HeraldRuntime runtime;

  @Produces
  @ApplicationScoped
  @Typed(EventPublisher.class)
  EventPublisher eventPublisher() {
    return new EventPublisher() {
      @Override
      public PublishResult publish(NewEvent event) {
        return runtime.publish(event);
      }

      @Override
      public List<PublishResult> publishAll(List<NewEvent> events) {
        return runtime.publishAll(events);
      }
    };
  }

  // Dependent: the registry is a final class (no client proxy) and immutable.
  @Produces
  @Dependent
  EventTypeRegistry eventTypes() {
    return runtime.eventTypes();
  }

  @Produces
  @Dependent
  @Typed({JpaStore.class, EndpointStore.class})
  JpaStore store() {
    return runtime.store().orElseThrow(() -> new IllegalStateException(runtime.notRunningReason()));
  }
}
