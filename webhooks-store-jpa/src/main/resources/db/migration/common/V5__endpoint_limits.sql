-- Limits that hold across every process (DESIGN 16): an endpoint's rate limit, and per endpoint
-- what the claims of all workers share under the row lock of circuit_states: the circuit, the
-- half-open probe's lease, and the rate limit's token bucket.
ALTER TABLE endpoints ADD COLUMN rate_limit_per_second DOUBLE PRECISION;
ALTER TABLE circuit_states ADD COLUMN probe_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE circuit_states ADD COLUMN tokens DOUBLE PRECISION;
ALTER TABLE circuit_states ADD COLUMN tokens_at TIMESTAMP WITH TIME ZONE;
-- Every endpoint has its row from now on (new ones get it when created): claims lock it.
INSERT INTO circuit_states (endpoint_id, status, consecutive_failures)
  SELECT id, 'CLOSED', 0 FROM endpoints e
  WHERE NOT EXISTS (SELECT 1 FROM circuit_states c WHERE c.endpoint_id = e.id);
