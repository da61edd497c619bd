-- Heartbeats are rewritten every few seconds by each running worker: drop the old rows (one per worker
-- name) rather than invent ids for them.
DELETE FROM "worker_heartbeats";

-- AlterTable
ALTER TABLE "worker_heartbeats" DROP CONSTRAINT "worker_heartbeats_pkey",
ADD COLUMN     "host" TEXT NOT NULL,
ADD COLUMN     "id" TEXT NOT NULL,
ADD CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("id");

-- CreateIndex
CREATE INDEX "worker_heartbeats_name_idx" ON "worker_heartbeats"("name");
