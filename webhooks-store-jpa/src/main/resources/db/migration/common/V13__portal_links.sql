-- Portal links (DESIGN 16): short-lived credentials that open the admin UI on one tenant's
-- endpoints, deliveries and dead letters. Only a hash of the token is stored; a revoked link's row
-- is deleted, and expired rows are removed whenever a link is issued.
CREATE TABLE portal_links (
  id         VARCHAR(40)  NOT NULL PRIMARY KEY,
  tenant_id  VARCHAR(64)  NOT NULL,
  token_hash VARCHAR(128) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX portal_links_hash ON portal_links (token_hash);
CREATE INDEX portal_links_tenant ON portal_links (tenant_id, expires_at);
CREATE INDEX portal_links_expiry ON portal_links (expires_at);
