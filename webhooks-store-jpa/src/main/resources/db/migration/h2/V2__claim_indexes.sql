-- H2 has no partial indexes: the same columns, led by status so unfinished rows are still a range.
CREATE INDEX deliveries_due ON deliveries (status, priority, next_attempt_at);
CREATE INDEX deliveries_leases ON deliveries (lease_until);
