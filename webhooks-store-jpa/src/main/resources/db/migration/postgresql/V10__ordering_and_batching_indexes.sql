-- Ordered chains (OrderedDeliveries): a chain's waiting deliveries by sequence, so that the next
-- one is the first entry, and its released one, so that "has the chain one?" is one probe. A
-- single index over both made each release read every waiting row of the chain.
CREATE INDEX deliveries_chain_waiting ON deliveries (endpoint_id, order_key, sequence)
  WHERE order_key IS NOT NULL AND status = 'pending' AND next_attempt_at IS NULL;
CREATE INDEX deliveries_chain_released ON deliveries (endpoint_id, order_key)
  WHERE order_key IS NOT NULL AND status IN ('pending', 'in_flight')
  AND next_attempt_at IS NOT NULL;
-- The members of a batch being retried together.
CREATE INDEX deliveries_batch ON deliveries (batch_id)
  WHERE batch_id IS NOT NULL AND status IN ('pending', 'in_flight');
-- A batched endpoint's deliveries waiting for their window (BatchWindows).
CREATE INDEX deliveries_batch_window ON deliveries (endpoint_id, next_attempt_at)
  WHERE batched AND status = 'pending' AND attempts = 0 AND batch_id IS NULL;
