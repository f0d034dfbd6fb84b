/**
 * Finds transports and event types once at start-up with {@link java.util.ServiceLoader} and
 * answers which provider serves a name.
 */
package dev.herald.webhooks.core.registry;
