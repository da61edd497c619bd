-- AlterTable
ALTER TABLE "alerts" ADD COLUMN "headlineAnomalyId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_anomalies" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "traceId" TEXT NOT NULL,
    "spanId" TEXT,
    "spanSeq" BIGINT,
    "detector" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "observed" REAL,
    "expected" REAL,
    "expectedLow" REAL,
    "expectedHigh" REAL,
    "score" REAL NOT NULL,
    "severity" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "details" JSONB,
    "fingerprint" TEXT NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "feedback" TEXT,
    "feedbackAt" DATETIME,
    "alertId" TEXT,
    "occurredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "occurredEndAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "anomalies_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "anomalies_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alerts" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- Rows detected before this migration take their detection time as the time they happened.
INSERT INTO "new_anomalies" ("occurredAt", "alertId", "createdAt", "dedupKey", "details", "detector", "entity", "expected", "expectedHigh", "expectedLow", "explanation", "feedback", "feedbackAt", "fingerprint", "id", "metric", "observed", "projectId", "score", "severity", "spanId", "spanSeq", "traceId") SELECT "createdAt", "alertId", "createdAt", "dedupKey", "details", "detector", "entity", "expected", "expectedHigh", "expectedLow", "explanation", "feedback", "feedbackAt", "fingerprint", "id", "metric", "observed", "projectId", "score", "severity", "spanId", "spanSeq", "traceId" FROM "anomalies";
DROP TABLE "anomalies";
ALTER TABLE "new_anomalies" RENAME TO "anomalies";
CREATE UNIQUE INDEX "anomalies_dedupKey_key" ON "anomalies"("dedupKey");
CREATE INDEX "anomalies_projectId_createdAt_idx" ON "anomalies"("projectId", "createdAt");
CREATE INDEX "anomalies_projectId_occurredAt_idx" ON "anomalies"("projectId", "occurredAt");
CREATE INDEX "anomalies_projectId_score_idx" ON "anomalies"("projectId", "score");
CREATE INDEX "anomalies_projectId_traceId_idx" ON "anomalies"("projectId", "traceId");
CREATE INDEX "anomalies_alertId_idx" ON "anomalies"("alertId");
CREATE INDEX "anomalies_feedbackAt_idx" ON "anomalies"("feedbackAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
