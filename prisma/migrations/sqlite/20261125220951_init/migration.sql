-- CreateTable
CREATE TABLE "projects" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "retentionDays" INTEGER,
    "settings" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT 'default',
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "api_keys_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "traces" (
    "projectId" TEXT NOT NULL,
    "traceId" TEXT NOT NULL,
    "rootSpanId" TEXT,
    "name" TEXT,
    "service" TEXT,
    "agent" TEXT,
    "sessionId" TEXT,
    "userId" TEXT,
    "startNs" BIGINT NOT NULL,
    "endNs" BIGINT NOT NULL,
    "durationMs" REAL NOT NULL DEFAULT 0,
    "spanCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "containerInputTokens" INTEGER NOT NULL DEFAULT 0,
    "containerOutputTokens" INTEGER NOT NULL DEFAULT 0,
    "containerCostUsd" REAL NOT NULL DEFAULT 0,
    "lastSeq" BIGINT NOT NULL DEFAULT 0,
    "lastReceivedMs" BIGINT NOT NULL DEFAULT 0,
    "scoredSeq" BIGINT,
    "anomalyScore" REAL,
    "anomalyCount" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("projectId", "traceId")
);

-- CreateTable
CREATE TABLE "spans" (
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
    "receivedMs" BIGINT NOT NULL,
    "anomalyScore" REAL
);

-- CreateTable
CREATE TABLE "span_rollups" (
    "projectId" TEXT NOT NULL,
    "minuteMs" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "agent" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "spanCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "durationMsSum" REAL NOT NULL DEFAULT 0,
    "latencyHist" JSONB,

    PRIMARY KEY ("projectId", "minuteMs", "service", "agent", "model", "kind")
);

-- CreateTable
CREATE TABLE "anomalies" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "anomalies_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "anomalies_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alerts" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "activeKey" TEXT,
    "detector" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "count" INTEGER NOT NULL DEFAULT 0,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "lastTraceId" TEXT,
    "acknowledgedAt" DATETIME,
    "resolvedAt" DATETIME,
    "lastNotifiedAt" DATETIME,
    "lastNotifiedSeverity" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "alerts_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "notification_channels" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "minSeverity" TEXT NOT NULL DEFAULT 'medium',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL DEFAULT 'user',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "notification_channels_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "alertId" TEXT,
    "channelId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    CONSTRAINT "alert_deliveries_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alerts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alert_deliveries_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "notification_channels" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deliveryId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" REAL NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    CONSTRAINT "delivery_attempts_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "alert_deliveries" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "detector_state" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "worker_cursors" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "position" BIGINT NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "pid" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "beatAt" DATETIME NOT NULL,
    "stats" JSONB
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "memberships" (
    "userId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "projectId"),
    CONSTRAINT "memberships_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "memberships_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "windowStart" BIGINT NOT NULL,
    "count" INTEGER NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "projects_name_key" ON "projects"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_projectId_idx" ON "api_keys"("projectId");

-- CreateIndex
CREATE INDEX "traces_projectId_startNs_idx" ON "traces"("projectId", "startNs");

-- CreateIndex
CREATE INDEX "traces_projectId_anomalyScore_idx" ON "traces"("projectId", "anomalyScore");

-- CreateIndex
CREATE INDEX "traces_lastReceivedMs_idx" ON "traces"("lastReceivedMs");

-- CreateIndex
CREATE INDEX "spans_projectId_startNs_idx" ON "spans"("projectId", "startNs");

-- CreateIndex
CREATE INDEX "spans_projectId_agent_step_idx" ON "spans"("projectId", "agent", "step");

-- CreateIndex
CREATE INDEX "spans_projectId_anomalyScore_idx" ON "spans"("projectId", "anomalyScore");

-- CreateIndex
CREATE INDEX "spans_bucket_seq_idx" ON "spans"("bucket", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "spans_projectId_traceId_spanId_key" ON "spans"("projectId", "traceId", "spanId");

-- CreateIndex
CREATE UNIQUE INDEX "anomalies_dedupKey_key" ON "anomalies"("dedupKey");

-- CreateIndex
CREATE INDEX "anomalies_projectId_createdAt_idx" ON "anomalies"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "anomalies_projectId_score_idx" ON "anomalies"("projectId", "score");

-- CreateIndex
CREATE INDEX "anomalies_projectId_traceId_idx" ON "anomalies"("projectId", "traceId");

-- CreateIndex
CREATE INDEX "anomalies_alertId_idx" ON "anomalies"("alertId");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_activeKey_key" ON "alerts"("activeKey");

-- CreateIndex
CREATE INDEX "alerts_projectId_status_lastSeenAt_idx" ON "alerts"("projectId", "status", "lastSeenAt");

-- CreateIndex
CREATE INDEX "alerts_projectId_fingerprint_idx" ON "alerts"("projectId", "fingerprint");

-- CreateIndex
CREATE INDEX "notification_channels_projectId_idx" ON "notification_channels"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_idempotencyKey_key" ON "alert_deliveries"("idempotencyKey");

-- CreateIndex
CREATE INDEX "alert_deliveries_status_nextAttemptAt_idx" ON "alert_deliveries"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "alert_deliveries_alertId_idx" ON "alert_deliveries"("alertId");

-- CreateIndex
CREATE INDEX "delivery_attempts_deliveryId_idx" ON "delivery_attempts"("deliveryId");

-- CreateIndex
CREATE INDEX "detector_state_projectId_detector_idx" ON "detector_state"("projectId", "detector");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_tokenHash_key" ON "sessions"("tokenHash");

-- CreateIndex
CREATE INDEX "sessions_userId_idx" ON "sessions"("userId");
