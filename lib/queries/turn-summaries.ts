// Reads what the session view needs of each turn's spans: the root span's previews and the attributes of the
// first and last LLM spans only (a turn's LLM calls each repeat the conversation so far; reading them all
// would grow with the square of its length).
import type { RawDb } from "../db";
import { summarizeTurn, type TurnSummary } from "../conversation/turn-summary";
import { executorFor } from "../db/executor";
import { inList, sql } from "../db/sql";
import { parseJsonColumn, toNumber } from "../db/sql-values";

interface RankedSpan {
  traceId: string;
  kind: string;
  isRoot: unknown;
  firstRank: unknown;
  lastRank: unknown;
  inputPreview: string | null;
  outputPreview: string | null;
  attributes: unknown;
}

interface TurnSpanRows {
  root?: RankedSpan;
  firstLlm?: RankedSpan;
  lastLlm?: RankedSpan;
}

export async function readTurnSummaries(raw: RawDb, projectId: string, traceIds: readonly string[]): Promise<Map<string, TurnSummary>> {
  const out = new Map<string, TurnSummary>();
  if (traceIds.length === 0) return out;
  const rows = await executorFor(raw).all<RankedSpan>(sql`
    SELECT "traceId", "kind", "isRoot", "firstRank", "lastRank", "inputPreview", "outputPreview", "attributes" FROM (
      SELECT "traceId", "kind", CASE WHEN "parentSpanId" IS NULL THEN 1 ELSE 0 END AS "isRoot", "inputPreview", "outputPreview", "attributes",
        ROW_NUMBER() OVER (PARTITION BY "traceId", "kind" ORDER BY "startNs" ASC, "seq" ASC) AS "firstRank",
        ROW_NUMBER() OVER (PARTITION BY "traceId", "kind" ORDER BY "startNs" DESC, "seq" DESC) AS "lastRank"
      FROM spans WHERE "projectId" = ${projectId} AND "traceId" ${inList(traceIds, "text")}
    ) ranked
    WHERE "isRoot" = 1 OR ("kind" = 'llm' AND ("firstRank" = 1 OR "lastRank" = 1))`);
  const byTrace = new Map<string, TurnSpanRows>();
  for (const row of rows) {
    const turn = byTrace.get(row.traceId) ?? {};
    if (toNumber(row.isRoot) === 1) turn.root ??= row;
    if (row.kind === "llm" && toNumber(row.firstRank) === 1) turn.firstLlm = row;
    if (row.kind === "llm" && toNumber(row.lastRank) === 1) turn.lastLlm = row;
    byTrace.set(row.traceId, turn);
  }
  for (const [traceId, turn] of byTrace) {
    const firstLlmAttributes = turn.firstLlm ? parseJsonColumn(turn.firstLlm.attributes) : null;
    out.set(traceId, summarizeTurn({
      firstLlmAttributes,
      lastLlmAttributes: turn.lastLlm === turn.firstLlm ? firstLlmAttributes : parseJsonColumn(turn.lastLlm?.attributes),
      rootInputPreview: turn.root?.inputPreview ?? null,
      rootOutputPreview: turn.root?.outputPreview ?? null,
    }));
  }
  return out;
}
