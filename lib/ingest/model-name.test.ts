import { describe, expect, it } from "vitest";
import { modelFamily } from "./model-name";

describe("modelFamily", () => {
  it.each([
    ["gpt-4.1-2025-04-14", "gpt-4.1"],
    ["gpt-4.1", "gpt-4.1"],
    ["claude-3-5-sonnet-20241022", "claude-3-5-sonnet"],
    ["claude-3-5-sonnet@20240620", "claude-3-5-sonnet"],
    ["Qwen/Qwen2.5-32B-Instruct", "Qwen/Qwen2.5-32B-Instruct"],
    ["llama3.1:8b", "llama3.1:8b"],
    ["o3-mini-2025-01-31", "o3-mini"],
    ["gpt-4o-2024-08", "gpt-4o-2024-08"],
    ["20241022", "20241022"],
  ])("%s → %s", (model, family) => expect(modelFamily(model)).toBe(family));
});
