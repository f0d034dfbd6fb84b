/** JMH micro-benchmarks of the per-request work: signing, verification, serialization, routing. */
package dev.herald.webhooks.benchmarks;
