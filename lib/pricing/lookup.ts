// Model price lookup: exact name, alias, then the name without provider prefixes and date/version suffixes
// ("openai/gpt-4o-2024-08-06", "anthropic.claude-3-5-sonnet-20241022-v2:0", "models/gemini-1.5-pro-002").
import { z } from "zod";

export interface ModelPrice {
  /** USD per million tokens. */
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
}

export interface PriceTable {
  models: Record<string, ModelPrice>;
  aliases: Record<string, string>;
}

const PriceSchema = z.object({
  input: z.number().min(0),
  output: z.number().min(0),
  cachedInput: z.number().min(0).optional(),
  cacheWrite: z.number().min(0).optional(),
});
export const PriceTableSchema = z.object({
  models: z.record(z.string(), PriceSchema).default({}),
  aliases: z.record(z.string(), z.string()).default({}),
});

export function mergePriceTables(base: PriceTable, override: PriceTable): PriceTable {
  const lower = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    models: { ...lower(base.models), ...lower(override.models) },
    aliases: { ...lower(base.aliases), ...lower(Object.fromEntries(Object.entries(override.aliases).map(([k, v]) => [k, v.toLowerCase()]))) },
  };
}

const SUFFIXES = [
  /-v\d+(:\d+)?$/, // Bedrock "-v2:0"
  /:\d+$/,
  /[-@]\d{4}-?\d{2}-?\d{2}$/, // -2024-08-06, -20241022, @20241022
  /-\d{3}$/, // Gemini -002
  /-\d{4}$/, // gpt-4-0613, mistral-large-2411
  /-(latest|preview|exp)$/,
];

function candidates(model: string): string[] {
  let name = model.trim().toLowerCase();
  const out = [name];
  name = name.replace(/^(models\/|openai\/|anthropic\/|google\/|mistralai\/|meta-llama\/|deepseek\/|accounts\/[^/]+\/models\/)/, "");
  name = name.replace(/^(anthropic|meta|mistral|us|eu|apac)\./, "").replace(/^(anthropic|meta|mistral)\./, "");
  out.push(name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of SUFFIXES) {
      const next = name.replace(suffix, "");
      if (next !== name && next.length > 0) {
        name = next;
        out.push(name);
        changed = true;
      }
    }
  }
  return out;
}

const memo = new WeakMap<PriceTable, Map<string, ModelPrice | null>>();
const MEMO_LIMIT = 2_000;

export function lookupPrice(table: PriceTable, model: string | null | undefined): ModelPrice | null {
  if (!model) return null;
  let cache = memo.get(table);
  if (!cache) memo.set(table, (cache = new Map()));
  const hit = cache.get(model);
  if (hit !== undefined) return hit;
  let found: ModelPrice | null = null;
  for (const name of candidates(model)) {
    const direct = table.models[name];
    const alias = table.aliases[name];
    found = direct ?? (alias ? (table.models[alias] ?? null) : null);
    if (found) break;
  }
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(model, found);
  return found;
}

export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
  /** Cache reads, counted inside inputTokens (OTel GenAI convention). */
  cachedTokens: number | null;
  cacheWriteTokens: number | null;
}

export function spanCost(price: ModelPrice, usage: Usage): number {
  const input = usage.inputTokens ?? 0;
  const cached = Math.min(usage.cachedTokens ?? 0, input);
  const written = Math.min(usage.cacheWriteTokens ?? 0, input - cached);
  const uncached = input - cached - written;
  const usd =
    uncached * price.input +
    cached * (price.cachedInput ?? price.input) +
    written * (price.cacheWrite ?? price.input) +
    (usage.outputTokens ?? 0) * price.output;
  return usd / 1_000_000;
}
