-- Herald schema. One script for PostgreSQL and for H2 in MODE=PostgreSQL; the indexes that differ
-- (PostgreSQL's partial indexes) live in db/migration/{vendor}/V2__claim_indexes.sql.
-- Every timestamp is TIMESTAMP WITH TIME ZONE, written in UTC with microsecond precision.
-- Tenant ids carry no foreign key: events may be published for a tenant before it is registered
-- (single-tenant deployments), and deleteTenant removes by tenant_id.

CREATE TABLE tenants (
  id         VARCHAR(64)  NOT NULL PRIMARY KEY,
  name       VARCHAR(200) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE api_keys (
  id           VARCHAR(64)  NOT NULL PRIMARY KEY,
  tenant_id    VARCHAR(64)  NOT NULL,
  key_hash     VARCHAR(128) NOT NULL,
  description  VARCHAR(200),
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  last_used_at TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE endpoints (
  id                VARCHAR(40)   NOT NULL PRIMARY KEY,
  tenant_id         VARCHAR(64)   NOT NULL,
  url               VARCHAR(2048) NOT NULL,
  transport         VARCHAR(64)   NOT NULL,
  event_types       TEXT          NOT NULL,
  signature_profile VARCHAR(32)   NOT NULL,
  header_prefix     VARCHAR(64),
  description       VARCHAR(1000),
  custom_headers    TEXT          NOT NULL,
  retry_delays      TEXT,
  max_in_flight     INTEGER       NOT NULL,
  active            BOOLEAN       NOT NULL,
  disabled_reason   VARCHAR(1000),
  failing_since     TIMESTAMP WITH TIME ZONE,
  last_success_at   TIMESTAMP WITH TIME ZONE,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  -- AES-GCM ciphertext of the secret list (current first), bound to the endpoint id.
  secrets           BYTEA         NOT NULL
);
CREATE INDEX endpoints_tenant ON endpoints (tenant_id, created_at DESC, id);

CREATE TABLE events (
  id              VARCHAR(40)  NOT NULL PRIMARY KEY,
  tenant_id       VARCHAR(64)  NOT NULL,
  type            VARCHAR(200) NOT NULL,
  idempotency_key VARCHAR(300) NOT NULL,
  -- Equal to idempotency_key while the event de-duplicates; set to NULL when a later publish with
  -- the same key arrives after the window, so the unique index admits the new event.
  dedup_key       VARCHAR(300),
  subject         VARCHAR(500),
  sequence        BIGINT       NOT NULL,
  priority        INTEGER      NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  body            BYTEA        NOT NULL
);
CREATE UNIQUE INDEX events_dedup ON events (tenant_id, dedup_key);
CREATE INDEX events_retention ON events (created_at);
CREATE INDEX events_tenant ON events (tenant_id, created_at);

CREATE TABLE deliveries (
  id               VARCHAR(40)  NOT NULL PRIMARY KEY,
  event_id         VARCHAR(40)  NOT NULL REFERENCES events (id),
  tenant_id        VARCHAR(64)  NOT NULL,
  endpoint_id      VARCHAR(40),
  transport        VARCHAR(64)  NOT NULL,
  status           VARCHAR(16)  NOT NULL,
  priority         INTEGER      NOT NULL,
  attempts         INTEGER      NOT NULL,
  -- While in_flight this equals lease_until, so one range condition finds every due delivery.
  next_attempt_at  TIMESTAMP WITH TIME ZONE,
  lease_owner      VARCHAR(200),
  lease_until      TIMESTAMP WITH TIME ZONE,
  last_status_code INTEGER,
  last_error       VARCHAR(2000),
  dead_reason      VARCHAR(1000),
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT deliveries_status CHECK (status IN ('pending', 'in_flight', 'succeeded', 'dead'))
);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_endpoint_history ON deliveries (endpoint_id, created_at DESC, id);
CREATE INDEX deliveries_tenant ON deliveries (tenant_id);

CREATE TABLE attempts (
  delivery_id      VARCHAR(40) NOT NULL REFERENCES deliveries (id),
  number           INTEGER     NOT NULL,
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  duration_ms      BIGINT      NOT NULL,
  status_code      INTEGER,
  response_excerpt VARCHAR(4096),
  error_type       VARCHAR(200),
  error_message    VARCHAR(2000),
  PRIMARY KEY (delivery_id, number)
);

CREATE TABLE circuit_states (
  endpoint_id          VARCHAR(40) NOT NULL PRIMARY KEY,
  status               VARCHAR(16) NOT NULL,
  consecutive_failures INTEGER     NOT NULL,
  opened_at            TIMESTAMP WITH TIME ZONE
);

CREATE TABLE settings (
  name  VARCHAR(200) NOT NULL PRIMARY KEY,
  value_text TEXT       NOT NULL
);

CREATE TABLE subject_sequences (
  tenant_id  VARCHAR(64)  NOT NULL,
  subject    VARCHAR(500) NOT NULL,
  last_value BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, subject)
);
