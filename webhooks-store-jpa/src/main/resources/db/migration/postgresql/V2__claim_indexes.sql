-- Partial indexes: only unfinished deliveries, which stay few while finished ones pile up.
CREATE INDEX deliveries_due ON deliveries (priority, next_attempt_at)
  WHERE status IN ('pending', 'in_flight');
CREATE INDEX deliveries_leases ON deliveries (lease_until) WHERE status = 'in_flight';
