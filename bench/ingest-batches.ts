// Realistic agent-trace batches for the ingestion benchmark: 100 spans = 4 traces of 25 spans, each an
// agent run with LLM calls (1–2 KB prompts and completions), tool calls and a nested agent.
// Bodies are built once as templates; each request only rewrites the first 8 hex digits of its trace ids.
import { randomBytes } from "node:crypto";
import { hex, jsonRequest, toProtobuf, type FixtureSpan } from "@/tests/helpers/otlp-fixtures";

const WORDS = "the order customer refund shipping policy agent search result weather invoice account password reset flight hotel booking summary context token model answer question data report".split(" ");
const MODELS = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "gemini-2.0-flash"];
const TOOLS = ["search_web", "lookup_order", "send_email", "get_weather", "query_db"];
const MARKER = "deadbeef";

function text(minBytes: number, maxBytes: number): string {
  const target = minBytes + Math.floor(Math.random() * (maxBytes - minBytes));
  const words: string[] = [];
  let size = 0;
  while (size < target) {
    const w = WORDS[Math.floor(Math.random() * WORDS.length)]!;
    words.push(w);
    size += w.length + 1;
  }
  return words.join(" ");
}

function agentRun(traceId: string, startNs: bigint): FixtureSpan[] {
  const spans: FixtureSpan[] = [];
  const root = hex(8);
  const ms = 1_000_000n;
  spans.push({ traceId, spanId: root, name: "invoke_agent support-agent", startNs, endNs: startNs + 20_000n * ms, attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-agent", "session.id": `s-${hex(4)}`, "user.id": `u-${hex(2)}` } });
  let t = startNs + ms;
  const step = (parent: string, agentSpan: boolean) => {
    const model = MODELS[Math.floor(Math.random() * MODELS.length)]!;
    const tool = TOOLS[Math.floor(Math.random() * TOOLS.length)]!;
    const llmMs = BigInt(300 + Math.floor(Math.random() * 1500));
    spans.push({
      traceId, spanId: hex(8), parentSpanId: parent, name: `chat ${model}`, kind: 3, startNs: t, endNs: t + llmMs * ms,
      attributes: {
        "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": model, "gen_ai.response.model": model,
        "gen_ai.usage.input_tokens": 300 + Math.floor(Math.random() * 400), "gen_ai.usage.output_tokens": 200 + Math.floor(Math.random() * 300),
        "gen_ai.request.temperature": 0.2, "gen_ai.response.finish_reasons": ["stop"], "server.address": "api.openai.com", "gen_ai.request.stream": false,
        "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: text(1000, 2000) }] }]),
        "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: text(1000, 2000) }] }]),
      },
    });
    t += llmMs * ms;
    const toolMs = BigInt(20 + Math.floor(Math.random() * 300));
    spans.push({
      traceId, spanId: hex(8), parentSpanId: parent, name: `execute_tool ${tool}`, startNs: t, endNs: t + toolMs * ms,
      attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": tool, "gen_ai.tool.call.id": hex(6), "gen_ai.tool.call.arguments": JSON.stringify({ q: text(20, 80) }), "gen_ai.tool.call.result": text(100, 300) },
      status: Math.random() < 0.03 ? { code: 2, message: "tool failed" } : undefined,
    });
    t += toolMs * ms;
    void agentSpan;
  };
  for (let i = 0; i < 6; i++) step(root, false);
  const nested = hex(8);
  spans.push({ traceId, spanId: nested, parentSpanId: root, name: "invoke_agent researcher", startNs: t, endNs: t + 8_000n * ms, attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "researcher" } });
  for (let i = 0; i < 5; i++) step(nested, false);
  spans.push({ traceId, spanId: hex(8), parentSpanId: root, name: "retrieve docs", startNs: t, endNs: t + 40n * ms, attributes: { "openinference.span.kind": "RETRIEVER", "input.value": text(50, 100) } });
  return spans;
}

/** A timestamp inside a template body: where it is and its value there. */
interface TimeSlot {
  at: number;
  ns: bigint;
}

export interface BatchTemplate {
  /** The start time the template's spans were built from. */
  baseNs: bigint;
  json: Buffer;
  /** Every span time in the JSON body: 19 decimal digits each. */
  jsonTimes: TimeSlot[];
  /** Every span time in the protobuf body: fixed64 little-endian. */
  protobufTimes: TimeSlot[];
  /** Byte offsets of every trace-id marker in the JSON body (8 hex characters get rewritten). */
  jsonOffsets: number[];
  protobuf: Buffer;
  /** Byte offsets of every trace id in the protobuf body (first 4 bytes get rewritten). */
  protobufOffsets: number[];
  spans: number;
}

export function buildTemplate(startNs: bigint): BatchTemplate {
  const spans: FixtureSpan[] = [];
  const traceIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const traceId = MARKER + randomBytes(12).toString("hex");
    traceIds.push(traceId);
    spans.push(...agentRun(traceId, startNs));
  }
  const request = jsonRequest(spans, { "service.name": "support-bot", "service.version": "1.4.2", "deployment.environment": "prod" }, "bench");
  const protobuf = toProtobuf(request);
  const offsets: number[] = [];
  for (const traceId of traceIds) {
    const needle = Buffer.from(traceId, "hex");
    for (let at = protobuf.indexOf(needle); at >= 0; at = protobuf.indexOf(needle, at + 1)) offsets.push(at);
  }
  const protobufTimes: TimeSlot[] = [];
  for (const ns of new Set(spans.flatMap((s) => [s.startNs, s.endNs]))) {
    const needle = Buffer.alloc(8);
    needle.writeBigUInt64LE(ns);
    for (let at = protobuf.indexOf(needle); at >= 0; at = protobuf.indexOf(needle, at + 1)) protobufTimes.push({ at, ns });
  }
  const json = Buffer.from(JSON.stringify(request));
  const jsonOffsets: number[] = [];
  for (let at = json.indexOf(MARKER); at >= 0; at = json.indexOf(MARKER, at + MARKER.length)) jsonOffsets.push(at);
  const jsonTimes: TimeSlot[] = [];
  const key = 'TimeUnixNano":"';
  for (let at = json.indexOf(key); at >= 0; at = json.indexOf(key, at + 1)) {
    const start = at + key.length;
    jsonTimes.push({ at: start, ns: BigInt(json.toString("latin1", start, json.indexOf('"', start))) });
  }
  return { baseNs: startNs, json, jsonOffsets, jsonTimes, protobuf, protobufOffsets: offsets, protobufTimes, spans: spans.length };
}

// Bodies are patched copies of a template buffer, so the load generator spends its CPU on HTTP, not on
// re-encoding 230 KB strings (it shares the machine's two cores with the server it measures). Each body
// gets fresh trace ids (`counter` replaces the marker) and its span times moved by `shiftNs`: real spans
// arrive with ever later times, and replaying the same times would scatter inserts across the time index.
// `into` reuses a sender's buffer (at least maxBodyBytes long) for its next body, instead of a fresh 200 KB
// allocation per request: in this VM each page of fresh memory costs a page fault of 10+ µs.
export function jsonBody(template: BatchTemplate, counter: number, shiftNs = 0n, into?: Buffer): Buffer {
  const body = copyOf(template.json, into);
  const id = (counter >>> 0).toString(16).padStart(8, "0");
  for (const at of template.jsonOffsets) body.write(id, at, "latin1");
  if (shiftNs !== 0n) {
    for (const { at, ns } of template.jsonTimes) {
      const digits = (ns + shiftNs).toString();
      if (digits.length !== 19) throw new Error(`shifted time ${digits} does not keep 19 digits`);
      body.write(digits, at, "latin1");
    }
  }
  return body;
}

export function protobufBody(template: BatchTemplate, counter: number, shiftNs = 0n, into?: Buffer): Buffer {
  const body = copyOf(template.protobuf, into);
  for (const at of template.protobufOffsets) body.writeUInt32BE(counter >>> 0, at);
  if (shiftNs !== 0n) for (const { at, ns } of template.protobufTimes) body.writeBigUInt64LE(ns + shiftNs, at);
  return body;
}

function copyOf(source: Buffer, into: Buffer | undefined): Buffer {
  if (!into) return Buffer.from(source);
  const body = into.subarray(0, source.length);
  source.copy(body);
  return body;
}

/** The longest body (JSON or protobuf) of these templates. */
export function maxBodyBytes(templates: readonly BatchTemplate[]): number {
  return Math.max(...templates.map((t) => Math.max(t.json.length, t.protobuf.length)));
}

/** The shift that makes a template's spans start now. */
export function shiftToNow(template: BatchTemplate): bigint {
  return BigInt(Date.now()) * 1_000_000n - template.baseNs;
}
