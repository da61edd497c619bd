import { describe, expect, it } from "vitest";
import { conversationSource, parseConversation, type ChatMessage, type Conversation } from "./parse-conversation";

const text = (role: string, t: string): ChatMessage => ({ role, name: null, parts: [{ type: "text", text: t }] });
const json = (v: unknown) => JSON.stringify(v);
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

type Case = [name: string, attributes: Record<string, unknown>, expected: Partial<Conversation> | null];

const GENAI: Case[] = [
  [
    "GenAI: system instructions, user text, assistant tool call, tool response, final answer",
    {
      "gen_ai.system_instructions": json([{ type: "text", content: "You are a support agent." }]),
      "gen_ai.input.messages": json([
        { role: "user", parts: [{ type: "text", content: "Where is order 42?" }] },
        { role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "lookup_order", arguments: { id: 42 } }] },
        { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: { status: "shipped" } }] },
      ]),
      "gen_ai.output.messages": json([{ role: "assistant", parts: [{ type: "text", content: "It **shipped**." }], finish_reason: "stop" }]),
    },
    {
      format: "gen_ai",
      input: [
        text("system", "You are a support agent."),
        text("user", "Where is order 42?"),
        { role: "assistant", name: null, parts: [{ type: "tool_call", id: "c1", name: "lookup_order", arguments: pretty({ id: 42 }) }] },
        { role: "tool", name: null, parts: [{ type: "tool_result", id: "c1", name: null, content: pretty({ status: "shipped" }) }] },
      ],
      output: [text("assistant", "It **shipped**.")],
      sourceKeys: ["gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.output.messages"],
    },
  ],
  [
    "GenAI: arguments sent as JSON text are pretty-printed; reasoning and media parts",
    {
      "gen_ai.input.messages": json([{ role: "user", parts: [{ type: "uri", modality: "image", uri: "https://x.test/a.png" }, { type: "blob", mime_type: "image/png", content: "AAAA" }] }]),
      "gen_ai.output.messages": json([{ role: "assistant", parts: [{ type: "reasoning", content: "think" }, { type: "tool_call", name: "search", arguments: '{"q":"refund"}' }] }]),
    },
    {
      input: [{ role: "user", name: null, parts: [{ type: "other", label: "uri", content: "https://x.test/a.png" }, { type: "other", label: "blob", content: "image/png (inline data)" }] }],
      output: [{ role: "assistant", name: null, parts: [{ type: "reasoning", text: "think" }, { type: "tool_call", id: null, name: "search", arguments: pretty({ q: "refund" }) }] }],
    },
  ],
  [
    "GenAI: OpenAI-style messages (content string, tool_calls, tool_call_id) and a system message kept in place",
    {
      "gen_ai.system_instructions": "ignored: the messages carry their own system prompt",
      "gen_ai.input.messages": json([
        { role: "system", content: "Be brief." },
        { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
        { role: "tool", tool_call_id: "t1", content: "rain" },
      ]),
    },
    {
      input: [
        text("system", "Be brief."),
        { role: "assistant", name: null, parts: [{ type: "tool_call", id: "t1", name: "get_weather", arguments: pretty({ city: "Oslo" }) }] },
        { role: "tool", name: null, parts: [{ type: "tool_result", id: "t1", name: null, content: "rain" }] },
      ],
      output: [],
    },
  ],
  [
    "GenAI: system instructions as plain text, input as structured OTLP value",
    { "gen_ai.system_instructions": "Plain system text", "gen_ai.input.messages": [{ role: "Human", content: "hi" }] },
    { input: [text("system", "Plain system text"), text("user", "hi")] },
  ],
];

const MALFORMED: Case[] = [
  ["truncated JSON falls back to the raw text", { "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"he…[truncated 900 chars]' }, { input: [{ ...text("user", '[{"role":"user","parts":[{"type":"text","content":"he…[truncated 900 chars]'), unparsed: true }], output: [] }],
  ["plain text where JSON was expected", { "gen_ai.output.messages": "just words" }, { input: [], output: [text("assistant", "just words")] }],
  ["a number where messages were expected", { "gen_ai.input.messages": 42 }, { input: [{ ...text("user", "42"), unparsed: true }] }],
  ["messages that are not objects", { "gen_ai.input.messages": json([null, 7, "hello"]) }, { input: [{ ...text("user", ""), unparsed: true }, { ...text("user", "7"), unparsed: true }, text("user", "hello")] }],
  ["a message without content keeps its JSON", { "gen_ai.input.messages": json([{ role: "user" }]) }, { input: [{ ...text("user", pretty({ role: "user" })), unparsed: true }] }],
  ["an unknown part type is shown as JSON", { "gen_ai.input.messages": json([{ role: "user", parts: [{ type: "widget", size: 3 }] }]) }, { input: [{ role: "user", name: null, parts: [{ type: "other", label: "widget", content: pretty({ type: "widget", size: 3 }) }] }] }],
  ["a tool call without a name", { "gen_ai.output.messages": json([{ role: "assistant", parts: [{ type: "tool_call", arguments: "not json" }] }]) }, { output: [{ role: "assistant", name: null, parts: [{ type: "tool_call", id: null, name: "(unnamed tool)", arguments: "not json" }] }] }],
  ["empty values are no conversation", { "gen_ai.input.messages": "", "gen_ai.output.messages": null }, null],
  ["unrelated attributes are no conversation", { "input.value": "<b>hi</b>", "http.method": "GET" }, null],
];

const OPENLLMETRY: Case[] = [
  [
    "OpenLLMetry: indexed prompts and completions with tool calls, out of order keys, index 10 after 2",
    {
      "gen_ai.prompt.1.role": "user",
      "gen_ai.prompt.1.content": "What's the weather?",
      "gen_ai.prompt.0.role": "system",
      "gen_ai.prompt.0.content": "You help.",
      "gen_ai.prompt.2.role": "tool",
      "gen_ai.prompt.2.content": "sunny",
      "gen_ai.prompt.2.tool_call_id": "call_9",
      "gen_ai.prompt.10.role": "user",
      "gen_ai.prompt.10.content": "thanks",
      "gen_ai.completion.0.role": "assistant",
      "gen_ai.completion.0.finish_reason": "tool_calls",
      "gen_ai.completion.0.tool_calls.0.id": "call_10",
      "gen_ai.completion.0.tool_calls.0.name": "get_weather",
      "gen_ai.completion.0.tool_calls.0.arguments": '{"city":"Paris"}',
    },
    {
      format: "openllmetry",
      input: [text("system", "You help."), text("user", "What's the weather?"), { role: "tool", name: null, parts: [{ type: "tool_result", id: "call_9", name: null, content: "sunny" }] }, text("user", "thanks")],
      output: [{ role: "assistant", name: null, parts: [{ type: "tool_call", id: "call_10", name: "get_weather", arguments: pretty({ city: "Paris" }) }] }],
    },
  ],
  [
    "OpenLLMetry: multi-part content as JSON text, older function_call",
    {
      "gen_ai.prompt.0.role": "user",
      "gen_ai.prompt.0.content": json([{ type: "text", text: "Describe" }, { type: "image_url", image_url: { url: "https://x.test/i.png" } }]),
      "gen_ai.completion.0.role": "assistant",
      "gen_ai.completion.0.function_call.name": "describe",
      "gen_ai.completion.0.function_call.arguments": "{}",
    },
    {
      input: [{ role: "user", name: null, parts: [{ type: "text", text: "Describe" }, { type: "other", label: "image_url", content: "https://x.test/i.png" }] }],
      output: [{ role: "assistant", name: null, parts: [{ type: "tool_call", id: null, name: "describe", arguments: "{}" }] }],
    },
  ],
  ["OpenLLMetry: a user message that is a JSON array stays text", { "gen_ai.prompt.0.content": "[1, 2]" }, { input: [text("user", "[1, 2]")] }],
  ["OpenLLMetry: conflicting keys do not throw", { "gen_ai.prompt.0": "flat", "gen_ai.prompt.0.content": "nested", "gen_ai.prompt.x.role": "user" }, { input: [text("user", "flat")] }],
];

const OPENINFERENCE: Case[] = [
  [
    "OpenInference: messages, contents, tool calls and tool results",
    {
      "llm.input_messages.0.message.role": "system",
      "llm.input_messages.0.message.content": "Be exact.",
      "llm.input_messages.1.message.role": "user",
      "llm.input_messages.1.message.contents.0.message_content.type": "text",
      "llm.input_messages.1.message.contents.0.message_content.text": "Look at this",
      "llm.input_messages.1.message.contents.1.message_content.type": "image",
      "llm.input_messages.1.message.contents.1.message_content.image.image.url": "https://x.test/p.png",
      "llm.input_messages.2.message.role": "tool",
      "llm.input_messages.2.message.name": "search_kb",
      "llm.input_messages.2.message.tool_call_id": "tc1",
      "llm.input_messages.2.message.content": "3 results",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.tool_calls.0.tool_call.id": "tc2",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "search_kb",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"query":"refund policy"}',
    },
    {
      format: "openinference",
      input: [
        text("system", "Be exact."),
        { role: "user", name: null, parts: [{ type: "text", text: "Look at this" }, { type: "other", label: "image", content: "https://x.test/p.png" }] },
        { role: "tool", name: "search_kb", parts: [{ type: "tool_result", id: "tc1", name: "search_kb", content: "3 results" }] },
      ],
      output: [{ role: "assistant", name: null, parts: [{ type: "tool_call", id: "tc2", name: "search_kb", arguments: pretty({ query: "refund policy" }) }] }],
    },
  ],
  ["OpenInference: output only", { "llm.output_messages.0.message.role": "assistant", "llm.output_messages.0.message.content": "Done" }, { input: [], output: [text("assistant", "Done")] }],
];

const VERCEL: Case[] = [
  [
    "Vercel AI SDK: ai.prompt.messages with tool-call and tool-result parts, response text and tool calls",
    {
      "ai.prompt.messages": json([
        { role: "system", content: "You are helpful." },
        { role: "user", content: [{ type: "text", text: "Refund order 7" }] },
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "a1", toolName: "refund", args: { order: 7 } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "a1", toolName: "refund", output: { type: "json", value: { ok: true } } }] },
      ]),
      "ai.response.text": "Refunded.",
      "ai.response.toolCalls": json([{ toolCallType: "function", toolCallId: "a2", toolName: "notify", args: '{"to":"user"}' }]),
    },
    {
      format: "vercel_ai",
      input: [
        text("system", "You are helpful."),
        text("user", "Refund order 7"),
        { role: "assistant", name: null, parts: [{ type: "tool_call", id: "a1", name: "refund", arguments: pretty({ order: 7 }) }] },
        { role: "tool", name: null, parts: [{ type: "tool_result", id: "a1", name: "refund", content: pretty({ ok: true }) }] },
      ],
      output: [{ role: "assistant", name: null, parts: [{ type: "text", text: "Refunded." }, { type: "tool_call", id: "a2", name: "notify", arguments: pretty({ to: "user" }) }] }],
    },
  ],
  ["Vercel AI SDK: ai.prompt with system and prompt", { "ai.prompt": json({ system: "Sys", prompt: "Write a haiku" }) }, { input: [text("system", "Sys"), text("user", "Write a haiku")], output: [] }],
  ["Vercel AI SDK: ai.prompt with messages", { "ai.prompt": json({ messages: [{ role: "user", content: "hi" }] }) }, { input: [text("user", "hi")] }],
  ["Vercel AI SDK: ai.prompt that is plain text", { "ai.prompt": "hello there" }, { input: [text("user", "hello there")] }],
  ["Vercel AI SDK: malformed toolCalls keep their text", { "ai.response.toolCalls": "[{broken" }, { input: [], output: [{ role: "assistant", name: null, parts: [{ type: "other", label: "tool calls", content: "[{broken" }] }] }],
  ["Vercel AI SDK: response object as a JSON code block", { "ai.response.object": json({ a: 1 }) }, { output: [text("assistant", "```json\n" + pretty({ a: 1 }) + "\n```")] }],
];

describe("parseConversation", () => {
  it.each([...GENAI, ...MALFORMED, ...OPENLLMETRY, ...OPENINFERENCE, ...VERCEL])("%s", (_name, attributes, expected) => {
    const conversation = parseConversation(attributes);
    if (expected === null) expect(conversation).toBeNull();
    else expect(conversation).toMatchObject(expected);
  });

  it.each([null, undefined, "text", 42, [1, 2]])("is null for attributes that are not an object (%s)", (value) => {
    expect(parseConversation(value)).toBeNull();
  });

  it("prefers the GenAI messages when a span carries several conventions", () => {
    const conversation = parseConversation({ "gen_ai.input.messages": json([{ role: "user", content: "a" }]), "gen_ai.prompt.0.content": "b", "ai.prompt": "c" });
    expect(conversation?.format).toBe("gen_ai");
  });

  it("never throws on random attribute soup", () => {
    const values: unknown[] = ["", "[", "{}", "[]", "null", json([{ parts: "x" }]), json([{ content: { type: 3 } }]), json({ messages: "no" }), json([{ tool_calls: [null, 1, { function: 2 }] }]), json([{ role: 5, content: [[], {}] }]), { nested: [1] }, [null], true];
    const keys = ["gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "ai.prompt", "ai.prompt.messages", "ai.response.toolCalls", "gen_ai.prompt.0.content", "llm.input_messages.0.message.contents"];
    for (const key of keys) for (const value of values) expect(() => parseConversation({ [key]: value })).not.toThrow();
  });
});

describe("conversationSource", () => {
  it("lists the source attributes, JSON text parsed and other text kept", () => {
    const attributes = { "gen_ai.input.messages": json([{ role: "user", content: "hi" }]), "gen_ai.output.messages": "[oops", other: 1 };
    const conversation = parseConversation(attributes)!;
    expect(conversationSource(attributes, conversation)).toEqual({ "gen_ai.input.messages": [{ role: "user", content: "hi" }], "gen_ai.output.messages": "[oops" });
  });
});
