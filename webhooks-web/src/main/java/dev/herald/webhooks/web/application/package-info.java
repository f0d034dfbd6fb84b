/**
 * CDI wiring: reads the settings from MicroProfile Config, opens the store on the container's data
 * source, and runs the delivery worker on the container's managed executor.
 */
package dev.herald.webhooks.web.application;
