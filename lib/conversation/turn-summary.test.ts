import { describe, expect, it } from "vitest";
import { summarizeTurn, type TurnSpans } from "./turn-summary";

const genAi = (input: unknown[], output: unknown[]) => ({
  "gen_ai.operation.name": "chat",
  "gen_ai.input.messages": JSON.stringify(input),
  "gen_ai.output.messages": JSON.stringify(output),
});
const text = (role: string, content: string) => ({ role, parts: [{ type: "text", content }] });
const plan = genAi(
  [text("system", "Be brief."), text("user", "Where is my order?"), text("assistant", "Let me check."), text("user", "It is #42.")],
  [{ role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "lookup_order", arguments: { id: 42 } }] }],
);
const answer = genAi([text("user", "It is #42."), { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: "shipped" }] }], [text("assistant", "It shipped today.")]);
const none: TurnSpans = { firstLlmAttributes: null, lastLlmAttributes: null, rootInputPreview: null, rootOutputPreview: null };
const textsOf = (messages: { role: string; parts: { type: string }[] }[]) => messages.map((m) => `${m.role}: ${m.parts.map((p) => ("text" in p ? p.text : p.type)).join(" ")}`);

describe("summarizeTurn", () => {
  it.each<[string, TurnSpans, string[], string[]]>([
    ["asked: the last user message of the first LLM call; answered: the last call's output", { ...none, firstLlmAttributes: plan, lastLlmAttributes: answer }, ["user: It is #42."], ["assistant: It shipped today."]],
    ["one LLM call is both first and last", { ...none, firstLlmAttributes: answer, lastLlmAttributes: answer }, ["user: It is #42."], ["assistant: It shipped today."]],
    ["a turn that ends on a tool call shows the call", { ...none, firstLlmAttributes: plan, lastLlmAttributes: plan }, ["user: It is #42."], ["assistant: tool_call"]],
    ["no LLM span: the root span's previews", { ...none, rootInputPreview: "refund order 7", rootOutputPreview: "refunded" }, ["user: refund order 7"], ["assistant: refunded"]],
    ["LLM spans without messages fall back to the previews", { firstLlmAttributes: { "gen_ai.request.model": "gpt-4o" }, lastLlmAttributes: {}, rootInputPreview: "hi", rootOutputPreview: null }, ["user: hi"], []],
    ["no user message in the first call: the root's input", { ...none, firstLlmAttributes: genAi([text("system", "x")], [text("assistant", "ok")]), lastLlmAttributes: null, rootInputPreview: "start" }, ["user: start"], []],
    ["nothing at all", none, [], []],
  ])("%s", (_name, spans, input, output) => {
    const summary = summarizeTurn(spans);
    expect(textsOf(summary.input)).toEqual(input);
    expect(textsOf(summary.output)).toEqual(output);
  });
});
