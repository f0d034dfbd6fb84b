package dev.herald.webhooks.web.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link JsonBody} parameter: the body carries up to {@link #events()} events, so its limit
 * follows {@code HERALD_EVENT_MAX_BYTES}. Without it, a body may hold {@value
 * JsonBodyReader#DEFAULT_MAX_BYTES} bytes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface BodyLimit {
  int events();
}
