-- A deleted tenant is marked at once (it is 404 from then on, its keys are gone, its endpoints
-- inactive) and its rows are erased afterwards in batches; a process that dies meanwhile leaves the
-- mark, and the next housekeeping run finishes the erasure.
ALTER TABLE tenants ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;

-- Jobs that one process at a time runs for all (the retention purge): the holder runs the job
-- until held_until, and no other process takes it before then.
CREATE TABLE job_leases (
  name       VARCHAR(100) NOT NULL PRIMARY KEY,
  holder     VARCHAR(200) NOT NULL,
  held_until TIMESTAMP WITH TIME ZONE NOT NULL
);
