/**
 * The JPA store: {@link dev.herald.webhooks.store.jpa.JpaStores} opens a {@link
 * dev.herald.webhooks.store.jpa.JpaStore} on PostgreSQL or embedded H2, after migrating the schema.
 */
package dev.herald.webhooks.store.jpa;
