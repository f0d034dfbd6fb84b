/** JAX-RS resources under {@code /api}; JSON in snake_case. */
package dev.herald.webhooks.web.rest;
