/**
 * The load harness behind {@code benchmarks/run}: a loopback receiver, REST and in-process
 * publishers, the queue comparison with db-scheduler, and the report writer.
 */
package dev.herald.webhooks.benchmarks.load;
