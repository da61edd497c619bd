-- CreateTable
CREATE TABLE "span_scores" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "projectId" TEXT NOT NULL,
    "score" REAL NOT NULL
);

-- Keep the scores already computed (written by hand: the diff does not move data)
INSERT INTO "span_scores" ("seq", "projectId", "score") SELECT "seq", "projectId", "anomalyScore" FROM "spans" WHERE "anomalyScore" IS NOT NULL;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_spans" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "projectId" TEXT NOT NULL,
    "traceId" TEXT NOT NULL,
    "spanId" TEXT NOT NULL,
    "parentSpanId" TEXT,
    "bucket" INTEGER NOT NULL DEFAULT 0,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "otelKind" INTEGER NOT NULL DEFAULT 0,
    "service" TEXT NOT NULL,
    "agent" TEXT,
    "step" TEXT NOT NULL,
    "model" TEXT,
    "provider" TEXT,
    "operation" TEXT,
    "sessionId" TEXT,
    "userId" TEXT,
    "startNs" BIGINT NOT NULL,
    "endNs" BIGINT NOT NULL,
    "durationMs" REAL NOT NULL,
    "statusCode" INTEGER NOT NULL DEFAULT 0,
    "statusMessage" TEXT,
    "inputTokens" INTEGER,
    "outputTokens" INTEGER,
    "cachedTokens" INTEGER,
    "reasoningTokens" INTEGER,
    "costUsd" REAL,
    "costSource" TEXT,
    "inputPreview" TEXT,
    "outputPreview" TEXT,
    "argsHash" TEXT,
    "attributes" JSONB NOT NULL,
    "events" JSONB,
    "links" JSONB,
    "resource" JSONB,
    "scope" TEXT,
    "receivedMs" BIGINT NOT NULL
);
INSERT INTO "new_spans" ("agent", "argsHash", "attributes", "bucket", "cachedTokens", "costSource", "costUsd", "durationMs", "endNs", "events", "inputPreview", "inputTokens", "kind", "links", "model", "name", "operation", "otelKind", "outputPreview", "outputTokens", "parentSpanId", "projectId", "provider", "reasoningTokens", "receivedMs", "resource", "scope", "seq", "service", "sessionId", "spanId", "startNs", "statusCode", "statusMessage", "step", "traceId", "userId") SELECT "agent", "argsHash", "attributes", "bucket", "cachedTokens", "costSource", "costUsd", "durationMs", "endNs", "events", "inputPreview", "inputTokens", "kind", "links", "model", "name", "operation", "otelKind", "outputPreview", "outputTokens", "parentSpanId", "projectId", "provider", "reasoningTokens", "receivedMs", "resource", "scope", "seq", "service", "sessionId", "spanId", "startNs", "statusCode", "statusMessage", "step", "traceId", "userId" FROM "spans";
DROP TABLE "spans";
ALTER TABLE "new_spans" RENAME TO "spans";
CREATE INDEX "spans_projectId_startNs_idx" ON "spans"("projectId", "startNs");
CREATE INDEX "spans_projectId_agent_step_idx" ON "spans"("projectId", "agent", "step");
CREATE INDEX "spans_bucket_seq_idx" ON "spans"("bucket", "seq");
CREATE UNIQUE INDEX "spans_projectId_traceId_spanId_key" ON "spans"("projectId", "traceId", "spanId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "span_scores_projectId_idx" ON "span_scores"("projectId");
