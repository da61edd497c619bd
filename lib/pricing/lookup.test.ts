import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICES, readPriceFile } from "./load-prices";
import { lookupPrice, mergePriceTables, spanCost } from "./lookup";

describe("lookupPrice", () => {
  it.each([
    ["gpt-4o", 2.5],
    ["GPT-4o", 2.5],
    ["gpt-4o-2024-08-06", 2.5],
    ["openai/gpt-4o-mini", 0.15],
    ["gpt-4o-mini-2024-07-18", 0.15],
    ["chatgpt-4o-latest", 2.5],
    ["gpt-4-0613", 30],
    ["claude-3-5-sonnet-20241022", 3],
    ["claude-3-5-sonnet-latest", 3],
    ["anthropic.claude-3-5-sonnet-20241022-v2:0", 3],
    ["us.anthropic.claude-3-5-haiku-20241022-v1:0", 0.8],
    ["claude-3-5-sonnet-v2@20241022", 3],
    ["claude-sonnet-4-5-20250929", 3],
    ["models/gemini-1.5-pro-002", 1.25],
    ["gemini-2.5-flash", 0.3],
    ["mistral-large-latest", 2],
    ["mistral-large-2411", 2],
    ["meta-llama/Meta-Llama-3.1-70B-Instruct", 0.88],
    ["llama-3.3-70b-versatile", 0.88],
    ["deepseek-chat", 0.27],
    ["deepseek-r1", 0.55],
  ])("%s costs %s per million input tokens", (model, input) => {
    expect(lookupPrice(DEFAULT_PRICES, model)?.input).toBe(input);
  });

  it.each([["unknown-model"], [""], ["gpt"]])("returns null for %j", (model) => {
    expect(lookupPrice(DEFAULT_PRICES, model)).toBeNull();
  });

  it("prices cached and cache-write tokens separately, counted inside input tokens", () => {
    const price = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };
    expect(spanCost(price, { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0 })).toBeCloseTo(3);
    expect(spanCost(price, { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedTokens: 500_000, cacheWriteTokens: 250_000 })).toBeCloseTo(
      0.25 * 3 + 0.5 * 0.3 + 0.25 * 3.75 + 15,
    );
    expect(spanCost({ input: 1, output: 2 }, { inputTokens: 100, outputTokens: null, cachedTokens: 500, cacheWriteTokens: null })).toBeCloseTo(100 / 1e6);
  });

  it("merges a deployment's override file over the defaults", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "argus-prices-"));
    const file = path.join(dir, "prices.json");
    writeFileSync(file, JSON.stringify({ models: { "GPT-4o": { input: 1, output: 2 }, "my-finetune": { input: 5, output: 6 } }, aliases: { "ft:gpt-4o:acme": "My-Finetune" } }));
    const table = mergePriceTables(DEFAULT_PRICES, readPriceFile(file));
    expect(lookupPrice(table, "gpt-4o")?.input).toBe(1);
    expect(lookupPrice(table, "ft:gpt-4o:acme")?.input).toBe(5);
    expect(lookupPrice(table, "claude-3-haiku")?.input).toBe(0.25);
  });

  it("explains a malformed override file", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "argus-prices-"));
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ models: { x: { input: "cheap" } } }));
    expect(() => readPriceFile(file)).toThrow(/ARGUS_PRICES_FILE .* is invalid: models\.x\.input/);
    writeFileSync(file, "{");
    expect(() => readPriceFile(file)).toThrow(/could not be read as JSON/);
  });

  it("covers the major providers", () => {
    for (const model of ["gpt-4.1", "o3-mini", "claude-opus-4", "gemini-2.0-flash", "mistral-small", "llama-3.1-8b-instruct", "deepseek-reasoner"]) {
      expect(lookupPrice(DEFAULT_PRICES, model), model).not.toBeNull();
    }
  });
});
