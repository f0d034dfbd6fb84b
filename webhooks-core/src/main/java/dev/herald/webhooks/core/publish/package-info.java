/** The publishing path: validate, de-duplicate, route and store an event with its deliveries. */
package dev.herald.webhooks.core.publish;
