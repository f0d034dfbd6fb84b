/**
 * Entities, SQL and encryption behind the JPA store. Nothing here is used outside the module: the
 * entities map to and from the SPI records.
 */
package dev.herald.webhooks.store.jpa.internal;
