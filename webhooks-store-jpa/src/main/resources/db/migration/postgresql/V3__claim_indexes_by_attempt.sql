-- The claim reads first attempts and retries with two queries (so that retries never starve first
-- attempts). With one index on (priority, next_attempt_at) the retry query had to walk every due
-- first attempt to find none: a sequential scan of the whole backlog on each claim, 67 ms with
-- 300 000 pending. One partial index per side keeps each claim an index range scan whatever the
-- backlog. deliveries_due stays for the queue-depth gauge, which counts both sides.
CREATE INDEX deliveries_due_first ON deliveries (priority, next_attempt_at)
  WHERE status IN ('pending', 'in_flight') AND attempts = 0;
CREATE INDEX deliveries_due_retry ON deliveries (priority, next_attempt_at)
  WHERE status IN ('pending', 'in_flight') AND attempts > 0;
