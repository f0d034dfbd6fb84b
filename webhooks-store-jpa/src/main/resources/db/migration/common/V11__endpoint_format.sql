-- How an endpoint's requests carry events (DESIGN 16): Herald's envelope or a CloudEvents binding.
ALTER TABLE endpoints ADD COLUMN format VARCHAR(32) DEFAULT 'herald' NOT NULL;
