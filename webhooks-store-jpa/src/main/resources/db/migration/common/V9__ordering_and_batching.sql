-- Ordered and batched delivery (DESIGN 16). A delivery to an endpoint with ordering 'subject'
-- carries its event's subject (order_key) and sequence; of the unfinished deliveries of one
-- (endpoint_id, order_key) exactly one has a next_attempt_at, the others wait with NULL until it
-- finishes. A delivery to a batched endpoint is marked batched: until its window's due time it
-- waits with the others of the window. A batched endpoint's failed request keeps its members
-- together under batch_id.
ALTER TABLE endpoints ADD COLUMN ordering VARCHAR(16) DEFAULT 'none' NOT NULL;
ALTER TABLE endpoints ADD COLUMN batch_max_events INTEGER;
ALTER TABLE endpoints ADD COLUMN batch_max_wait_ms INTEGER;
ALTER TABLE deliveries ADD COLUMN order_key VARCHAR(500);
ALTER TABLE deliveries ADD COLUMN sequence BIGINT;
ALTER TABLE deliveries ADD COLUMN batch_id VARCHAR(40);
ALTER TABLE deliveries ADD COLUMN batched BOOLEAN DEFAULT FALSE NOT NULL;
