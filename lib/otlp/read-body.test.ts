import { deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { httpStatus } from "../http/errors";
import { encodingOf, requireEncoding } from "./content-type";
import { readBody } from "./read-body";

const LIMIT = 64 * 1024;

function request(body: Uint8Array, headers: Record<string, string> = {}): Request {
  return new Request("http://x/v1/traces", { method: "POST", body: new Uint8Array(body), headers });
}

async function status(promise: Promise<unknown>): Promise<[number, string]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return [httpStatus(error as AppError), (error as AppError).message];
  }
  throw new Error("expected an error");
}

describe("readBody", () => {
  const payload = Buffer.from(JSON.stringify({ resourceSpans: [], pad: "x".repeat(1000) }));

  it.each([
    ["identity", payload, undefined],
    ["gzip", gzipSync(payload), "gzip"],
    ["GZIP with spaces", gzipSync(payload), " GZIP "],
    ["deflate (zlib)", deflateSync(payload), "deflate"],
    ["deflate (raw)", deflateRawSync(payload), "deflate"],
  ] as const)("reads a %s body", async (_name, body, encoding) => {
    const got = await readBody(request(body, encoding ? { "content-encoding": encoding } : {}), LIMIT);
    expect(got.equals(payload)).toBe(true);
  });

  it("refuses a body over the limit from its Content-Length before reading it", async () => {
    const [code, message] = await status(readBody(request(Buffer.alloc(LIMIT + 1), { "content-length": String(LIMIT + 1) }), LIMIT));
    expect(code).toBe(413);
    expect(message).toMatch(/exceeds the limit of 65536 bytes/);
  });

  it("refuses a streamed body over the limit", async () => {
    const chunks = [Buffer.alloc(LIMIT / 2), Buffer.alloc(LIMIT / 2), Buffer.alloc(10)];
    const stream = new ReadableStream({ pull(c) { const next = chunks.shift(); if (next) c.enqueue(next); else c.close(); } });
    const req = new Request("http://x", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect((await status(readBody(req, LIMIT)))[0]).toBe(413);
  });

  it("stops a gzip bomb at the limit while decompressing", async () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024)); // 200 MB of zeros, ~200 KB compressed
    const before = process.memoryUsage().rss;
    const [code, message] = await status(readBody(request(bomb, { "content-encoding": "gzip" }), 16 * 1024 * 1024));
    expect(code).toBe(413);
    expect(message).toMatch(/Decompressed request body exceeds/);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it.each([
    ["corrupt gzip", Buffer.from("not gzip at all"), "gzip", 400, /not valid gzip data/],
    ["corrupt deflate", Buffer.from("not deflate"), "deflate", 400, /not valid deflate data/],
    ["unknown encoding", payload, "br", 415, /Unsupported Content-Encoding "br"/],
  ] as const)("answers %s with the right status", async (_name, body, encoding, code, message) => {
    const [got, text] = await status(readBody(request(body, { "content-encoding": encoding }), LIMIT));
    expect(got).toBe(code);
    expect(text).toMatch(message);
  });
});

describe("content type", () => {
  it.each([
    ["application/x-protobuf", "protobuf"],
    ["application/protobuf", "protobuf"],
    ["Application/X-Protobuf; charset=binary", "protobuf"],
    ["application/json", "json"],
    ["application/json; charset=utf-8", "json"],
    ["APPLICATION/JSON;charset=UTF-8", "json"],
    ["text/plain", null],
    ["", null],
    [null, null],
  ] as const)("%s → %s", (header, expected) => {
    expect(encodingOf(header)).toBe(expected);
  });

  it("explains what to send on 415", () => {
    expect(() => requireEncoding("text/xml")).toThrow(/Unsupported Content-Type "text\/xml"; send application\/x-protobuf or application\/json/);
  });
});
