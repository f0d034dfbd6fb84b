/** Rules of delivery shared by every process: which due deliveries a claim may take now. */
package dev.herald.webhooks.core.delivery;
