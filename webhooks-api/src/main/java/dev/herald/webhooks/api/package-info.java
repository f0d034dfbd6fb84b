/**
 * The event model producers publish: {@link dev.herald.webhooks.api.NewEvent} in, {@link
 * dev.herald.webhooks.api.Event} as delivered, and the built-in event-type catalog.
 */
package dev.herald.webhooks.api;
