-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "projects" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "retentionDays" INTEGER,
    "settings" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT 'default',
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
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
    "durationMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "spanCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "containerInputTokens" INTEGER NOT NULL DEFAULT 0,
    "containerOutputTokens" INTEGER NOT NULL DEFAULT 0,
    "containerCostUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "lastSeq" BIGINT NOT NULL DEFAULT 0,
    "lastReceivedMs" BIGINT NOT NULL DEFAULT 0,
    "scoredSeq" BIGINT,
    "anomalyScore" DOUBLE PRECISION,
    "anomalyCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "traces_pkey" PRIMARY KEY ("projectId","traceId")
);

-- CreateTable
CREATE TABLE "spans" (
    "seq" BIGSERIAL NOT NULL,
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
    "durationMs" DOUBLE PRECISION NOT NULL,
    "statusCode" INTEGER NOT NULL DEFAULT 0,
    "statusMessage" TEXT,
    "inputTokens" INTEGER,
    "outputTokens" INTEGER,
    "cachedTokens" INTEGER,
    "reasoningTokens" INTEGER,
    "costUsd" DOUBLE PRECISION,
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
    "anomalyScore" DOUBLE PRECISION,

    CONSTRAINT "spans_pkey" PRIMARY KEY ("seq")
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
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "durationMsSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latencyHist" JSONB,

    CONSTRAINT "span_rollups_pkey" PRIMARY KEY ("projectId","minuteMs","service","agent","model","kind")
);

-- CreateTable
CREATE TABLE "anomalies" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "traceId" TEXT NOT NULL,
    "spanId" TEXT,
    "spanSeq" BIGINT,
    "detector" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "observed" DOUBLE PRECISION,
    "expected" DOUBLE PRECISION,
    "expectedLow" DOUBLE PRECISION,
    "expectedHigh" DOUBLE PRECISION,
    "score" DOUBLE PRECISION NOT NULL,
    "severity" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "details" JSONB,
    "fingerprint" TEXT NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "feedback" TEXT,
    "feedbackAt" TIMESTAMP(3),
    "alertId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "anomalies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" TEXT NOT NULL,
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
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "lastTraceId" TEXT,
    "acknowledgedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "lastNotifiedAt" TIMESTAMP(3),
    "lastNotifiedSeverity" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_channels" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "minSeverity" TEXT NOT NULL DEFAULT 'medium',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL DEFAULT 'user',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "alertId" TEXT,
    "channelId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "detector_state" (
    "key" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "detector_state_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "worker_cursors" (
    "name" TEXT NOT NULL,
    "position" BIGINT NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "worker_cursors_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "name" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "beatAt" TIMESTAMP(3) NOT NULL,
    "stats" JSONB,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "userId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("userId","projectId")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    "windowStart" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
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

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "anomalies" ADD CONSTRAINT "anomalies_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "anomalies" ADD CONSTRAINT "anomalies_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "alert_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
