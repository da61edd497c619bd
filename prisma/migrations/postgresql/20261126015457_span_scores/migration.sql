-- CreateTable
CREATE TABLE "span_scores" (
    "seq" BIGINT NOT NULL,
    "projectId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "span_scores_pkey" PRIMARY KEY ("seq")
);

-- Keep the scores already computed (written by hand: the diff does not move data)
INSERT INTO "span_scores" ("seq", "projectId", "score") SELECT "seq", "projectId", "anomalyScore" FROM "spans" WHERE "anomalyScore" IS NOT NULL;

-- CreateIndex
CREATE INDEX "span_scores_projectId_idx" ON "span_scores"("projectId");

-- DropIndex
DROP INDEX "spans_projectId_anomalyScore_idx";

-- AlterTable
ALTER TABLE "spans" DROP COLUMN "anomalyScore";
