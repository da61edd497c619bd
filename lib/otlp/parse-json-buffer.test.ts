import { describe, expect, it } from "vitest";
import { parseJsonBuffer } from "./parse-json-buffer";

// A small deterministic generator, so a failure reproduces.
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

const STRING_PARTS = ["a", "é", "日本", "😀", '"', "\\", "\\\"", "{", "}", "[", "]", ",", ":", " ", "\n", "\u2028", "__proto__", "x".repeat(40)];
const WHITESPACE = ["", "", " ", "\n", "\t ", "\r\n  "];

function randomString(next: () => number): string {
  return Array.from({ length: Math.floor(next() * 6) }, () => STRING_PARTS[Math.floor(next() * STRING_PARTS.length)]!).join("");
}

/** JSON text of a random value, with random whitespace between tokens. */
function randomJson(next: () => number, depth = 0): string {
  const ws = () => WHITESPACE[Math.floor(next() * WHITESPACE.length)]!;
  const pick = next();
  if (depth < 5 && pick < 0.25) {
    const n = Math.floor(next() * 6);
    return `[${ws()}${Array.from({ length: n }, () => ws() + randomJson(next, depth + 1) + ws()).join(",")}${ws()}]`;
  }
  if (depth < 5 && pick < 0.5) {
    const n = Math.floor(next() * 6);
    const keys = Array.from({ length: n }, () => (next() < 0.2 ? "dup" : randomString(next)));
    return `{${ws()}${keys.map((k) => `${ws()}${JSON.stringify(k)}${ws()}:${ws()}${randomJson(next, depth + 1)}${ws()}`).join(",")}${ws()}}`;
  }
  if (pick < 0.7) return JSON.stringify(randomString(next));
  if (pick < 0.8) return JSON.stringify(Math.round((next() - 0.5) * 1e6) / (next() < 0.5 ? 1 : 1000));
  return ["true", "false", "null", "-0", "1e3", "0.5E-2"][Math.floor(next() * 6)]!;
}

function outcome(run: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

describe("parseJsonBuffer", () => {
  it.each([16, 64, 1_000])("equals JSON.parse on 3,000 random documents split at %i bytes", (pieceBytes) => {
    const next = random(pieceBytes);
    for (let i = 0; i < 3_000; i++) {
      const text = `${next() < 0.3 ? " \n" : ""}${randomJson(next)}${next() < 0.3 ? "\n " : ""}`;
      const parsed = parseJsonBuffer(Buffer.from(text), pieceBytes);
      expect(parsed, text).toStrictEqual(JSON.parse(text));
    }
  });

  it("keeps JSON.parse's semantics for __proto__ and duplicate keys", () => {
    const text = `{"__proto__": {"polluted": true}, "a": 1, "b": [1, 2, 3], "a": 2}`;
    const parsed = parseJsonBuffer(Buffer.from(text), 8) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(["__proto__", "a", "b"]);
    expect(parsed.a).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("gives JSON.parse's result or error for 3,000 mutated documents", () => {
    const next = random(99);
    const inserts = ["{", "}", "[", "]", ",", ":", '"', "\\", "x", " ", "1"];
    for (let i = 0; i < 3_000; i++) {
      let text = randomJson(next);
      const at = Math.floor(next() * (text.length + 1));
      const how = next();
      if (how < 0.4) text = text.slice(0, at) + text.slice(at + 1);
      else if (how < 0.8) text = text.slice(0, at) + inserts[Math.floor(next() * inserts.length)] + text.slice(at);
      else text = text.slice(0, at);
      // A cut through an emoji leaves a lone surrogate, which UTF-8 encoding turns into U+FFFD.
      const body = Buffer.from(text);
      expect(outcome(() => parseJsonBuffer(body, 16)), text).toStrictEqual(outcome(() => JSON.parse(body.toString("utf8"))));
    }
  });

  it("parses a large OTLP-shaped body from pieces no larger than the piece size", () => {
    const value = `a "quote with } and ]", a backslash \\, one at the end \\${"é…".repeat(800)}\\`;
    const span = (i: number) => ({ traceId: "ab".repeat(16), spanId: i.toString(16).padStart(16, "0"), name: "chat", attributes: [{ key: "gen_ai.input.messages", value: { stringValue: value } }] });
    const body = { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "s" }, spans: Array.from({ length: 100 }, (_, i) => span(i)) }] }] };
    const text = JSON.stringify(body, null, 1);
    expect(text.length).toBeGreaterThan(128 * 1024);

    const parsedLengths: number[] = [];
    const parse = JSON.parse;
    JSON.parse = ((source: string, reviver?: Parameters<typeof parse>[1]) => {
      parsedLengths.push(source.length);
      return parse(source, reviver);
    }) as typeof JSON.parse;
    let parsed: unknown;
    try {
      parsed = parseJsonBuffer(Buffer.from(text));
    } finally {
      JSON.parse = parse;
    }
    expect(parsed).toStrictEqual(body);
    expect(Math.max(...parsedLengths)).toBeLessThanOrEqual(64 * 1024);
  });
});
