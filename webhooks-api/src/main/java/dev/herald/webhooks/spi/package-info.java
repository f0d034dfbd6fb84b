/**
 * Service-provider interfaces: transports, event-type providers and the store. Implementations are
 * found with {@link java.util.ServiceLoader} in Java SE, or injected as CDI beans in the server.
 */
package dev.herald.webhooks.spi;
