-- The unfinished deliveries of each ordered chain, by sequence: finding a chain's next delivery
-- reads one entry, whatever the endpoint's history.
CREATE INDEX deliveries_chain ON deliveries (endpoint_id, order_key, sequence)
  WHERE order_key IS NOT NULL AND status IN ('pending', 'in_flight');
-- The members of a batch being retried together.
CREATE INDEX deliveries_batch ON deliveries (batch_id)
  WHERE batch_id IS NOT NULL AND status IN ('pending', 'in_flight');
