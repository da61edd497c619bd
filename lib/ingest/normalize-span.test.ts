import { describe, expect, it } from "vitest";
import type { Attributes, DecodedSpan } from "../otlp/types";
import { DEFAULT_PRICES } from "../pricing/load-prices";
import { normalizeSpan, type NormalizedFields } from "./normalize-span";

function span(name: string, attributes: Attributes): DecodedSpan {
  return {
    traceId: "a".repeat(32), spanId: "b".repeat(16), parentSpanId: null, name, otelKind: 1, startNs: 1n, endNs: 2n, attributes,
    events: null, links: null, statusCode: 0, statusMessage: null, resource: { attributes: {}, service: "svc", json: "{}" }, scope: null,
  };
}

const longPrompt = "Plan a trip to Lisbon. ".repeat(40);

const cases: { name: string; span: DecodedSpan; expected: Partial<NormalizedFields> }[] = [
  {
    name: "OTel GenAI chat (current keys)",
    span: span("chat gpt-4o", {
      "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 500, "gen_ai.conversation.id": "conv-1",
      "gen_ai.input.messages": JSON.stringify([{ role: "system", parts: [{ type: "text", content: "be brief" }] }, { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] }]),
      "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "Sunny, 21°C." }] }]),
    }),
    expected: {
      kind: "llm", step: "chat gpt-4o", model: "gpt-4o", provider: "openai", operation: "chat", inputTokens: 1000, outputTokens: 500,
      sessionId: "conv-1", inputPreview: "Weather in Paris?", outputPreview: "Sunny, 21°C.", costUsd: 0.0075, costSource: "price_table", agent: null,
    },
  },
  {
    name: "OTel GenAI deprecated keys (gen_ai.system, prompt/completion tokens, cache and reasoning)",
    span: span("chat", {
      "gen_ai.system": "anthropic", "gen_ai.request.model": "claude-3-5-sonnet-20241022", "gen_ai.usage.prompt_tokens": 2000,
      "gen_ai.usage.completion_tokens": 100, "gen_ai.usage.cache_read_input_tokens": 1000, "gen_ai.usage.reasoning_tokens": 30,
    }),
    expected: {
      kind: "llm", provider: "anthropic", model: "claude-3-5-sonnet-20241022", step: "chat claude-3-5-sonnet", inputTokens: 2000,
      outputTokens: 100, cachedTokens: 1000, reasoningTokens: 30, costUsd: (1000 * 3 + 1000 * 0.3 + 100 * 15) / 1e6,
    },
  },
  {
    name: "OTel GenAI tool call",
    span: span("execute_tool get_weather", { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_weather", "gen_ai.tool.call.arguments": '{"city":"Paris"}', "gen_ai.tool.call.result": "sunny" }),
    expected: { kind: "tool", step: "get_weather", operation: "execute_tool", inputPreview: '{"city":"Paris"}', outputPreview: "sunny", model: null, costUsd: null },
  },
  {
    name: "OTel GenAI agent",
    span: span("invoke_agent travel", { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "travel-agent" }),
    expected: { kind: "agent", agent: "travel-agent", step: "invoke_agent travel", operation: "invoke_agent" },
  },
  {
    name: "OTel GenAI embeddings",
    span: span("embeddings", { "gen_ai.operation.name": "embeddings", "gen_ai.request.model": "text-embedding-3-small", "gen_ai.usage.input_tokens": 1_000_000 }),
    expected: { kind: "embedding", step: "embeddings text-embedding-3-small", costUsd: 0.02 },
  },
  {
    name: "OpenInference LLM with reported cost",
    span: span("ChatOpenAI", {
      "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o-mini", "llm.provider": "openai", "llm.token_count.prompt": 120,
      "llm.token_count.completion": 30, "llm.token_count.total": 150, "llm.cost.total": 0.5, "session.id": "s-9", "user.id": "u-1",
      "input.value": longPrompt, "output.value": "Day 1: Alfama.",
    }),
    expected: {
      kind: "llm", model: "gpt-4o-mini", provider: "openai", step: "chat gpt-4o-mini", inputTokens: 120, outputTokens: 30, costUsd: 0.5,
      costSource: "attribute", sessionId: "s-9", userId: "u-1", outputPreview: "Day 1: Alfama.",
    },
  },
  {
    name: "OpenInference total only with prompt count",
    span: span("llm", { "openinference.span.kind": "LLM", "llm.model_name": "unknown-model", "llm.token_count.prompt": 100, "llm.token_count.total": 130 }),
    expected: { inputTokens: 100, outputTokens: 30, costUsd: null, costSource: null },
  },
  {
    name: "OpenInference tool and agent",
    span: span("search", { "openinference.span.kind": "TOOL", "tool.name": "web_search", "input.value": "q=lisbon" }),
    expected: { kind: "tool", step: "web_search", inputPreview: "q=lisbon" },
  },
  {
    name: "OpenInference agent span",
    span: span("researcher", { "openinference.span.kind": "AGENT", "agent.name": "researcher" }),
    expected: { kind: "agent", agent: "researcher", step: "researcher" },
  },
  {
    name: "OpenInference chain and retriever",
    span: span("RetrievalQA", { "openinference.span.kind": "RETRIEVER" }),
    expected: { kind: "retriever", step: "RetrievalQA", operation: null },
  },
  {
    name: "OpenLLMetry chat with indexed prompts",
    span: span("openai.chat", {
      "traceloop.span.kind": "llm", "llm.request.type": "chat", "gen_ai.system": "OpenAI", "gen_ai.request.model": "gpt-4.1",
      "llm.usage.prompt_tokens": 10, "llm.usage.completion_tokens": 5, "llm.usage.total_tokens": 15,
      "gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": "sys", "gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": "hi there",
      "gen_ai.completion.0.content": "hello!", "traceloop.association.properties.session_id": "tl-s",
    }),
    expected: { kind: "llm", provider: "openai", model: "gpt-4.1", inputTokens: 10, outputTokens: 5, inputPreview: "hi there", outputPreview: "hello!", sessionId: "tl-s" },
  },
  {
    name: "OpenLLMetry workflow and tool",
    span: span("fetch.tool", { "traceloop.span.kind": "tool", "traceloop.entity.name": "fetch", "traceloop.entity.input": '{"url":"x"}' }),
    expected: { kind: "tool", step: "fetch", inputPreview: '{"url":"x"}' },
  },
  {
    name: "OpenLLMetry agent",
    span: span("planner.agent", { "traceloop.span.kind": "agent", "traceloop.entity.name": "planner" }),
    expected: { kind: "agent", agent: "planner" },
  },
  {
    name: "Vercel AI SDK inner model call",
    span: span("ai.generateText.doGenerate", {
      "ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "gpt-4o", "ai.model.provider": "openai.chat", "ai.usage.promptTokens": 50,
      "ai.usage.completionTokens": 20, "ai.prompt.messages": JSON.stringify([{ role: "user", content: [{ type: "text", text: "tell a joke" }] }]),
      "ai.response.text": "why did...", "ai.telemetry.metadata.userId": "vu",
    }),
    expected: { kind: "llm", model: "gpt-4o", provider: "openai", inputTokens: 50, outputTokens: 20, inputPreview: "tell a joke", outputPreview: "why did...", userId: "vu" },
  },
  {
    name: "Vercel AI SDK outer call is a container",
    span: span("ai.generateText", { "ai.operationId": "ai.generateText", "ai.model.id": "gpt-4o", "ai.usage.promptTokens": 50, "ai.usage.completionTokens": 20 }),
    expected: { kind: "chain", step: "ai.generateText", inputTokens: 50 },
  },
  {
    name: "Vercel AI SDK tool call",
    span: span("ai.toolCall", { "ai.operationId": "ai.toolCall", "ai.toolCall.name": "weather", "ai.toolCall.args": '{"city":"Rome"}' }),
    expected: { kind: "tool", step: "weather", inputPreview: '{"city":"Rome"}' },
  },
  {
    name: "plain HTTP span",
    span: span("GET /api/orders", { "http.request.method": "GET" }),
    expected: { kind: "other", step: "GET /api/orders", model: null, operation: null, inputTokens: null, argsHash: null },
  },
  {
    name: "precedence: gen_ai.* beats OpenInference for the same field",
    span: span("x", { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "llm.model_name": "other", "gen_ai.usage.input_tokens": 0, "llm.token_count.prompt": 99 }),
    expected: { model: "gpt-4o", inputTokens: 0 },
  },
];

describe("normalizeSpan", () => {
  it.each(cases)("$name", ({ span: s, expected }) => {
    const got = normalizeSpan(s, DEFAULT_PRICES);
    for (const [key, value] of Object.entries(expected)) {
      if (typeof value === "number" && !Number.isInteger(value)) expect(got[key as keyof NormalizedFields], key).toBeCloseTo(value, 10);
      else expect(got[key as keyof NormalizedFields], key).toEqual(value);
    }
  });

  it("clips previews to one short line", () => {
    const got = normalizeSpan(span("llm", { "openinference.span.kind": "LLM", "input.value": `line one\n\n${longPrompt}` }), DEFAULT_PRICES);
    expect(got.inputPreview!.length).toBeLessThanOrEqual(240);
    expect(got.inputPreview).toMatch(/^line one Plan a trip/);
    expect(got.inputPreview).not.toContain("\n");
  });

  it("hashes tool arguments stably for loop detection", () => {
    const a = normalizeSpan(span("t", { "gen_ai.tool.name": "s", "gen_ai.tool.call.arguments": '{"q":1}' }), DEFAULT_PRICES);
    const b = normalizeSpan(span("t", { "gen_ai.tool.name": "s", "gen_ai.tool.call.arguments": '{"q":1}' }), DEFAULT_PRICES);
    const c = normalizeSpan(span("t", { "gen_ai.tool.name": "s", "gen_ai.tool.call.arguments": '{"q":2}' }), DEFAULT_PRICES);
    expect(a.argsHash).toMatch(/^[0-9a-f]{16}$/);
    expect(a.argsHash).toBe(b.argsHash);
    expect(a.argsHash).not.toBe(c.argsHash);
  });
});
