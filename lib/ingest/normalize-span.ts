// Maps one decoded span onto Argus's normalized fields. Pure: same input, same output.
import { createHash } from "node:crypto";
import type { Attributes, AttrValue, DecodedSpan } from "../otlp/types";
import { lookupPrice, spanCost, type PriceTable } from "../pricing/lookup";
import { modelFamily } from "./model-name";
import { KEYS, OPENINFERENCE_KIND, OPERATION_KIND, TRACELOOP_KIND, vercelKind } from "./attribute-keys";
import { preview } from "./previews";

export type SpanKind = "llm" | "tool" | "agent" | "chain" | "retriever" | "embedding" | "other";

export interface NormalizedFields {
  kind: SpanKind;
  /** From the span's own attributes; inheritance from ancestors happens later (resolve-agents.ts). */
  agent: string | null;
  step: string;
  model: string | null;
  provider: string | null;
  operation: string | null;
  sessionId: string | null;
  userId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  costSource: "attribute" | "price_table" | null;
  inputPreview: string | null;
  outputPreview: string | null;
  argsHash: string | null;
}

const MAX_FIELD_CHARS = 256;

function str(attributes: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === "string" && value !== "") return value.length > MAX_FIELD_CHARS ? value.slice(0, MAX_FIELD_CHARS) : value;
    if (typeof value === "number") return String(value);
  }
  return null;
}

function toCount(value: AttrValue | undefined): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.min(Math.round(n), 2_147_483_647) : null;
}

function count(attributes: Attributes, keys: readonly string[]): number | null {
  for (const key of keys) {
    const n = toCount(attributes[key]);
    if (n !== null) return n;
  }
  return null;
}

function money(attributes: Attributes, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = attributes[key];
    const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
    if (Number.isFinite(n) && n >= 0) return n;
  }
  return null;
}

export function classifyKind(span: Pick<DecodedSpan, "name" | "attributes">): SpanKind {
  const a = span.attributes;
  const oi = a["openinference.span.kind"];
  if (typeof oi === "string" && OPENINFERENCE_KIND[oi.toUpperCase()]) return OPENINFERENCE_KIND[oi.toUpperCase()] as SpanKind;
  const op = str(a, KEYS.operation);
  if (op && OPERATION_KIND[op.toLowerCase()]) return OPERATION_KIND[op.toLowerCase()] as SpanKind;
  const tl = a["traceloop.span.kind"];
  if (typeof tl === "string" && TRACELOOP_KIND[tl]) return TRACELOOP_KIND[tl] as SpanKind;
  const operationId = a["ai.operationId"];
  const vercel = vercelKind(typeof operationId === "string" ? operationId : span.name);
  if (vercel) return vercel as SpanKind;
  if (str(a, KEYS.tool)) return "tool";
  if (str(a, KEYS.model) && (count(a, KEYS.inputTokens) !== null || count(a, KEYS.outputTokens) !== null)) return "llm";
  if (str(a, KEYS.agent)) return "agent";
  return "other";
}

const DEFAULT_OPERATION: Partial<Record<SpanKind, string>> = { llm: "chat", embedding: "embeddings", tool: "execute_tool", agent: "invoke_agent" };

function cleanProvider(value: string | null): string | null {
  // Vercel: "openai.chat" → "openai"
  return value ? value.split(".")[0]!.toLowerCase() : null;
}

export function normalizeSpan(span: DecodedSpan, prices: PriceTable): NormalizedFields {
  const a = span.attributes;
  const kind = classifyKind(span);
  const model = str(a, KEYS.model);
  const explicitOp = str(a, ["gen_ai.operation.name"]);
  const operation = explicitOp ?? DEFAULT_OPERATION[kind] ?? null;
  const tool = kind === "tool" ? (str(a, KEYS.tool) ?? (a["traceloop.span.kind"] === "tool" ? str(a, ["traceloop.entity.name"]) : null)) : null;
  let agent = str(a, KEYS.agent);
  if (!agent && kind === "agent") agent = str(a, ["traceloop.entity.name"]) ?? (span.name.replace(/^invoke_agent\s+/, "") || null);

  let step: string;
  if (kind === "tool") step = tool ?? span.name;
  else if ((kind === "llm" || kind === "embedding") && model) step = `${operation} ${modelFamily(model)}`;
  else step = span.name;

  let inputTokens = count(a, KEYS.inputTokens);
  let outputTokens = count(a, KEYS.outputTokens);
  const total = count(a, KEYS.totalTokens);
  if (total !== null) {
    if (inputTokens !== null && outputTokens === null) outputTokens = Math.max(0, total - inputTokens);
    else if (outputTokens !== null && inputTokens === null) inputTokens = Math.max(0, total - outputTokens);
  }
  const cachedTokens = count(a, KEYS.cachedTokens);
  const reasoningTokens = count(a, KEYS.reasoningTokens);

  let costUsd = money(a, KEYS.cost);
  let costSource: NormalizedFields["costSource"] = costUsd !== null ? "attribute" : null;
  if (costUsd === null && (inputTokens !== null || outputTokens !== null)) {
    const price = lookupPrice(prices, str(a, KEYS.responseModel)) ?? lookupPrice(prices, model);
    if (price) {
      costUsd = spanCost(price, { inputTokens, outputTokens, cachedTokens, cacheWriteTokens: count(a, KEYS.cacheWriteTokens) });
      costSource = "price_table";
    }
  }

  const args = kind === "tool" ? (a[KEYS.toolArgs.find((k) => a[k] !== undefined) ?? "input.value"] ?? a["traceloop.entity.input"]) : undefined;
  const argsHash =
    args === undefined || args === null ? null : createHash("sha1").update(typeof args === "string" ? args : JSON.stringify(args)).digest("hex").slice(0, 16);

  const inputKeys = kind === "tool" ? [...KEYS.toolArgs, ...KEYS.input] : KEYS.input;
  const outputKeys = kind === "tool" ? [...KEYS.toolResult, ...KEYS.output] : KEYS.output;
  return {
    kind,
    agent,
    step: step || "(unnamed)",
    model,
    provider: cleanProvider(str(a, KEYS.provider)),
    operation,
    sessionId: str(a, KEYS.session),
    userId: str(a, KEYS.user),
    inputTokens,
    outputTokens,
    cachedTokens,
    reasoningTokens,
    costUsd,
    costSource,
    inputPreview: preview(a, inputKeys, "gen_ai.prompt."),
    outputPreview: preview(a, outputKeys, "gen_ai.completion."),
    argsHash,
  };
}
