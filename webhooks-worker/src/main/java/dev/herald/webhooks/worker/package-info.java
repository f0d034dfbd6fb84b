/**
 * The delivery loop: claims due deliveries in batches under a lease, signs and sends them through
 * their transport, and records outcomes in batches. Runs embedded in the server or standalone.
 */
package dev.herald.webhooks.worker;
