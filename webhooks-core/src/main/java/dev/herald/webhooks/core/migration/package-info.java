/**
 * The migration phase in force: configured at start, changed at run time by operators through the
 * store, so every server and worker process agrees within one poll interval.
 */
package dev.herald.webhooks.core.migration;
