-- CreateTable
CREATE TABLE "decisions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "args" TEXT NOT NULL,
    "user" TEXT,
    "session" TEXT,
    "service" TEXT,
    "model" TEXT,
    "decision" TEXT NOT NULL,
    "risk" REAL NOT NULL,
    "reasons" TEXT NOT NULL,
    "flags" TEXT NOT NULL,
    "policyVersions" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "decisions_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "decisions_projectId_agent_tool_createdAt_idx" ON "decisions"("projectId", "agent", "tool", "createdAt");

-- CreateIndex
CREATE INDEX "decisions_projectId_user_createdAt_idx" ON "decisions"("projectId", "user", "createdAt");
