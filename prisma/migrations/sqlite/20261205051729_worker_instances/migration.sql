-- Heartbeats are rewritten every few seconds by each running worker: drop the old rows (one per worker
-- name) rather than invent ids for them.
DELETE FROM "worker_heartbeats";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_worker_heartbeats" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "beatAt" DATETIME NOT NULL,
    "stats" JSONB
);
DROP TABLE "worker_heartbeats";
ALTER TABLE "new_worker_heartbeats" RENAME TO "worker_heartbeats";
CREATE INDEX "worker_heartbeats_name_idx" ON "worker_heartbeats"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
