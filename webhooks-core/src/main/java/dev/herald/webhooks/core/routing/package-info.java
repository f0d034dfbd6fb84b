/**
 * Decides where an event goes: the endpoints whose filters match its type, and Redis according to
 * the migration phase (DESIGN section 6).
 */
package dev.herald.webhooks.core.routing;
