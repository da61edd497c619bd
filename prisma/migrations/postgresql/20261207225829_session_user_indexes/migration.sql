-- CreateIndex
CREATE INDEX "traces_projectId_sessionId_startNs_idx" ON "traces"("projectId", "sessionId", "startNs");

-- CreateIndex
CREATE INDEX "traces_projectId_userId_startNs_idx" ON "traces"("projectId", "userId", "startNs");
