/** Duration text as operators write it in configuration. */
package dev.herald.webhooks.core.time;
