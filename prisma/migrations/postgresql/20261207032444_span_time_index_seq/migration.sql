-- The spans time index ends with seq: its order is then GET /api/v1/spans' keyset order (startMinute, seq).
-- PostgreSQL needed it: with the two-column index a page sorted every span of the range whenever the
-- planner had no statistics for the project (new project, bulk load, autovacuum off). SQLite's entries
-- already ended with the rowid (= seq); it rebuilds the index like PostgreSQL to keep one schema.
-- DropIndex
DROP INDEX "spans_projectId_startMinute_idx";

-- CreateIndex
CREATE INDEX "spans_projectId_startMinute_seq_idx" ON "spans"("projectId", "startMinute", "seq");
