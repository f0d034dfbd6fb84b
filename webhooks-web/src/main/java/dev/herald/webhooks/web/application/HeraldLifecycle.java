package dev.herald.webhooks.web.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Starts Herald when the application starts, so the worker delivers without waiting for a first
 * request. {@link HeraldRuntime} stops it when the application stops.
 */
@ApplicationScoped
public class HeraldLifecycle {
  @Inject HeraldRuntime runtime;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    runtime.start();
  }
}
