-- An endpoint's max_in_flight is shared out as slots: a worker that claims an endpoint's
-- deliveries holds some of its slots under a lease and sends through them, so that all workers
-- together never have more requests in flight than the endpoint allows, without asking the
-- database before each send.
CREATE TABLE endpoint_slots (
  endpoint_id VARCHAR(40)  NOT NULL,
  owner       VARCHAR(200) NOT NULL,
  slots       INTEGER      NOT NULL,
  lease_until TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (endpoint_id, owner)
);
CREATE INDEX endpoint_slots_owner ON endpoint_slots (owner);
