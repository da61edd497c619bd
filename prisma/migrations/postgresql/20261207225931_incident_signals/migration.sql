-- AlterTable
ALTER TABLE "anomalies" ADD COLUMN     "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "occurredEndAt" TIMESTAMP(3);

-- Rows detected before this migration take their detection time as the time they happened.
UPDATE "anomalies" SET "occurredAt" = "createdAt";

-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "headlineAnomalyId" TEXT;

-- CreateIndex
CREATE INDEX "anomalies_projectId_occurredAt_idx" ON "anomalies"("projectId", "occurredAt");
