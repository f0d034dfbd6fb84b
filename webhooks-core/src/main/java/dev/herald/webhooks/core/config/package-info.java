/**
 * Herald's settings, read once through MicroProfile Config (environment variables being the
 * operator's interface) into one typed, validated object.
 */
package dev.herald.webhooks.core.config;
