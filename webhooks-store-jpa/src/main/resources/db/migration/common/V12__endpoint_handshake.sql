-- An endpoint created with the CloudEvents validation handshake (DESIGN 16, handshake) stays
-- inactive, disabled_reason 'pending_validation', until the handshake allows Herald's origin.
ALTER TABLE endpoints ADD COLUMN handshake BOOLEAN DEFAULT FALSE NOT NULL;
