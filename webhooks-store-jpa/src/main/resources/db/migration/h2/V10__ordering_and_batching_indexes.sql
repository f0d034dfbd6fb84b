-- H2 has no partial indexes: the same columns, with status before sequence.
CREATE INDEX deliveries_chain ON deliveries (endpoint_id, order_key, status, sequence);
CREATE INDEX deliveries_batch ON deliveries (batch_id);
CREATE INDEX deliveries_batch_window ON deliveries (endpoint_id, batched, next_attempt_at);
