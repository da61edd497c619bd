-- Scorers no longer register "scorer:member:<id>" rows in worker_cursors: they count the live scorer
-- processes from worker_heartbeats. Drop the leftover rows (data only, the schema is unchanged).
DELETE FROM "worker_cursors" WHERE "name" LIKE 'scorer:member:%';
