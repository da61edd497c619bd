-- CreateIndex
CREATE INDEX "anomalies_feedbackAt_idx" ON "anomalies"("feedbackAt");
