-- The spans time index moves from startNs to startMinute (see the schema's comment on startMinute).
-- Written by hand: Prisma's diff would copy the whole table to place the column after startNs, and the
-- copy would also reset the seq counter when the newest spans had been deleted.
-- DropIndex
DROP INDEX "spans_projectId_startNs_idx";

-- AlterTable
ALTER TABLE "spans" ADD COLUMN "startMinute" INTEGER NOT NULL DEFAULT 0;
UPDATE "spans" SET "startMinute" = "startNs" / 60000000000;

-- CreateIndex
CREATE INDEX "spans_projectId_startMinute_idx" ON "spans"("projectId", "startMinute");
