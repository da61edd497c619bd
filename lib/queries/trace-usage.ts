// A trace's usage as every list shows it: what its LLM spans reported or, when they reported nothing, what its
// container spans (agent, chain) reported. toTraceListItem applies the rule to one row; these SQL
// expressions apply it inside aggregates over many traces.
import { sql } from "../db/sql";

const llmReportedNothing = sql`("inputTokens" + "outputTokens" = 0 AND "costUsd" = 0)`;

export const traceInputTokens = sql`CASE WHEN ${llmReportedNothing} THEN "containerInputTokens" ELSE "inputTokens" END`;
export const traceOutputTokens = sql`CASE WHEN ${llmReportedNothing} THEN "containerOutputTokens" ELSE "outputTokens" END`;
export const traceCostUsd = sql`CASE WHEN ${llmReportedNothing} THEN "containerCostUsd" ELSE "costUsd" END`;
