/** Rules for the HTTP headers Herald sends. */
package dev.herald.webhooks.core.http;
