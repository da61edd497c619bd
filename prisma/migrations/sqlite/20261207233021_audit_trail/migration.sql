-- CreateTable
CREATE TABLE "audit_entries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" BIGINT,
    "at" DATETIME NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "projectId" TEXT,
    "details" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "prevHash" TEXT,
    "hash" TEXT
);

-- CreateTable
CREATE TABLE "audit_chain" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "anchorSeq" BIGINT NOT NULL DEFAULT 0,
    "anchorHash" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_entries_seq_key" ON "audit_entries"("seq");

-- CreateIndex
CREATE INDEX "audit_entries_at_idx" ON "audit_entries"("at");

-- CreateIndex
CREATE INDEX "audit_entries_action_at_idx" ON "audit_entries"("action", "at");

-- CreateIndex
CREATE INDEX "audit_entries_projectId_at_idx" ON "audit_entries"("projectId", "at");

-- The chain's head, before the first entry (lib/audit/seal-audit.ts locks this row to seal entries).
INSERT INTO "audit_chain" ("id", "seq", "hash", "anchorSeq", "anchorHash", "updatedAt")
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0, '0000000000000000000000000000000000000000000000000000000000000000', CURRENT_TIMESTAMP);
