import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { agentTrace, hex, jsonRequest, jsonSpan, toProtobuf, type FixtureSpan } from "@/tests/helpers/otlp-fixtures";
import { decodeTraceRequest } from "./decode";
import { MAX_ATTRIBUTE_CHARS } from "./values";

const asJson = (request: unknown) => Buffer.from(JSON.stringify(request));

function decodeBoth(request: unknown) {
  return { json: decodeTraceRequest(asJson(request), "json"), protobuf: decodeTraceRequest(toProtobuf(request), "protobuf") };
}

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("bad_request");
    return (error as AppError).message;
  }
  throw new Error("expected a 400");
}

const base = (): FixtureSpan => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  parentSpanId: "00f067aa0ba902b7",
  name: "chat gpt-4o",
  kind: 3,
  startNs: 1_700_000_000_123_456_789n,
  endNs: 1_700_000_001_987_654_321n,
  attributes: {
    str: "hello", empty: "", t: true, f: false, zero: 0, int: 42, neg: -7, dbl: 1.5, dblZero: 0.25,
    arr: ["a", 1, false], kv: { nested: { deeper: [1, 2] } }, nul: null,
  },
  events: [{ name: "gen_ai.content.prompt", timeNs: 1_700_000_000_200_000_001n, attributes: { n: 0 } }],
  status: { code: 2, message: "rate limited" },
});

describe("decodeTraceRequest", () => {
  it("decodes JSON and protobuf to the same spans, keeping every attribute type", () => {
    const { json, protobuf } = decodeBoth(jsonRequest([base()], { "service.name": "checkout", "deployment.environment": "prod" }));
    expect(json).toEqual(protobuf);
    expect(json.rejected).toBe(0);
    const span = json.spans[0]!;
    expect(span).toMatchObject({
      traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", parentSpanId: "00f067aa0ba902b7", name: "chat gpt-4o",
      otelKind: 3, startNs: 1_700_000_000_123_456_789n, endNs: 1_700_000_001_987_654_321n, statusCode: 2, statusMessage: "rate limited", scope: "test-scope",
    });
    expect(span.attributes).toEqual({
      str: "hello", empty: "", t: true, f: false, zero: 0, int: 42, neg: -7, dbl: 1.5, dblZero: 0.25,
      arr: ["a", 1, false], kv: { nested: { deeper: [1, 2] } }, nul: null,
    });
    expect(span.events).toEqual([{ name: "gen_ai.content.prompt", timeUnixNano: "1700000000200000001", attributes: { n: 0 } }]);
    expect(span.resource.service).toBe("checkout");
    expect(span.resource.attributes["deployment.environment"]).toBe("prod");
  });

  it("keeps int64 values beyond 2^53 exactly, as decimal strings", () => {
    const request = jsonRequest([base()]);
    (request.resourceSpans[0]!.scopeSpans[0]!.spans[0] as { attributes: unknown[] }).attributes = [{ key: "big", value: { intValue: "9007199254740993" } }];
    const { json, protobuf } = decodeBoth(request);
    expect(json.spans[0]!.attributes.big).toBe("9007199254740993");
    expect(protobuf.spans[0]!.attributes.big).toBe("9007199254740993");
  });

  it("accepts enum names, numeric times and upper-case hex ids in JSON", () => {
    const span = { ...jsonSpan(base()), kind: "SPAN_KIND_CLIENT", startTimeUnixNano: 1000, endTimeUnixNano: 2000, traceId: "0AF7651916CD43DD8448EB211C80319C", status: { code: "STATUS_CODE_OK" } };
    const result = decodeTraceRequest(asJson({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }), "json");
    expect(result.spans[0]).toMatchObject({ otelKind: 3, startNs: 1000n, endNs: 2000n, traceId: "0af7651916cd43dd8448eb211c80319c", statusCode: 1 });
    expect(result.spans[0]!.resource.service).toBe("unknown_service");
  });

  it("truncates huge attribute strings instead of storing them whole", () => {
    const huge = "x".repeat(MAX_ATTRIBUTE_CHARS + 10);
    const { json, protobuf } = decodeBoth(jsonRequest([{ ...base(), attributes: { huge } }]));
    expect(json.spans[0]!.attributes.huge).toBe(`${"x".repeat(MAX_ATTRIBUTE_CHARS)}…[truncated 10 chars]`);
    expect(protobuf.spans[0]!.attributes.huge).toEqual(json.spans[0]!.attributes.huge);
  });

  it("treats an empty request as valid", () => {
    expect(decodeTraceRequest(asJson({}), "json")).toEqual({ spans: [], rejected: 0, problems: [] });
    expect(decodeTraceRequest(asJson({ resourceSpans: [] }), "json").spans).toEqual([]);
  });

  const spanCases: { name: string; patch: Record<string, unknown>; problem: string }[] = [
    { name: "missing trace id", patch: { traceId: undefined }, problem: "spans[0].traceId is required" },
    { name: "short trace id", patch: { traceId: "abc" }, problem: "spans[0].traceId must be 32 hex characters" },
    { name: "non-hex span id", patch: { spanId: "zzzzzzzzzzzzzzzz" }, problem: "spans[0].spanId must be 16 hex characters" },
    { name: "all-zero trace id", patch: { traceId: "0".repeat(32) }, problem: "spans[0].traceId must not be all zeros" },
    { name: "numeric span id", patch: { spanId: 12 }, problem: "spans[0].spanId must be a hex string" },
    { name: "parent id of wrong length", patch: { parentSpanId: "abcd" }, problem: "spans[0].parentSpanId must be 16 hex characters" },
    { name: "missing start time", patch: { startTimeUnixNano: undefined }, problem: "spans[0].startTimeUnixNano is required" },
    { name: "time as text", patch: { startTimeUnixNano: "yesterday" }, problem: "spans[0].startTimeUnixNano must be a non-negative integer" },
    { name: "end before start", patch: { startTimeUnixNano: "2000", endTimeUnixNano: "1000" }, problem: "spans[0].endTimeUnixNano is before startTimeUnixNano" },
    { name: "time beyond int64", patch: { endTimeUnixNano: "9999999999999999999" }, problem: "spans[0].endTimeUnixNano is beyond" },
    { name: "name not a string", patch: { name: 5 }, problem: "spans[0].name must be a string" },
    { name: "kind out of range", patch: { kind: 9 }, problem: "spans[0].kind must be an integer 0..5" },
    { name: "attributes not an array", patch: { attributes: { a: 1 } }, problem: "spans[0].attributes must be an array" },
    { name: "attribute key missing", patch: { attributes: [{ value: { stringValue: "x" } }] }, problem: "spans[0].attributes[0].key must be a string" },
    { name: "stringValue not a string", patch: { attributes: [{ key: "a", value: { stringValue: 3 } }] }, problem: "spans[0].attributes[0].value.stringValue must be a string" },
    { name: "boolValue not a boolean", patch: { attributes: [{ key: "a", value: { boolValue: "true" } }] }, problem: "spans[0].attributes[0].value.boolValue must be true or false" },
    { name: "intValue fractional", patch: { attributes: [{ key: "a", value: { intValue: 1.5 } }] }, problem: "spans[0].attributes[0].value.intValue must be an integer" },
    { name: "status not an object", patch: { status: 2 }, problem: "spans[0].status must be an object" },
    { name: "span not an object", patch: { __replace: "oops" }, problem: "spans[0] must be a Span object" },
  ];

  it.each(spanCases)("rejects a span with $name and says where", ({ patch, problem }) => {
    const good = jsonSpan({ ...base(), spanId: hex(8) });
    const bad = "__replace" in patch ? patch.__replace : { ...jsonSpan(base()), ...patch };
    const request = { resourceSpans: [{ scopeSpans: [{ spans: [bad, good] }] }] };
    const result = decodeTraceRequest(asJson(request), "json");
    expect(result.spans).toHaveLength(1);
    expect(result.rejected).toBe(1);
    expect(result.problems[0]).toContain(`resourceSpans[0].scopeSpans[0].${problem}`);
    const onlyBad = badRequest(() => decodeTraceRequest(asJson({ resourceSpans: [{ scopeSpans: [{ spans: [bad] }] }] }), "json"));
    expect(onlyBad).toContain(problem);
  });

  it("drops values nested too deeply in both encodings, keeps the span and says so", () => {
    let value: Record<string, unknown> = { stringValue: "leaf" };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const span = { ...jsonSpan(base()), attributes: [{ key: "deep", value }, { key: "flat", value: { stringValue: "kept" } }] };
    const request = { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] };
    for (const decoded of [decodeTraceRequest(asJson(request), "json"), decodeTraceRequest(toProtobuf(request), "protobuf")]) {
      expect(decoded.spans).toHaveLength(1);
      expect(decoded.spans[0]!.attributes.flat).toBe("kept");
      expect(decoded.spans[0]!.attributes["argus.dropped_values_count"]).toBe(1);
      expect(decoded.truncated).toMatch(/1 nested attribute value\(s\) dropped over the limits of 1024 values and 8 levels/);
    }
  });

  it("reports protobuf span problems with locations", () => {
    const request = jsonRequest([{ ...base(), spanId: hex(8) }, base()]);
    const protobuf = toProtobuf(request);
    expect(decodeTraceRequest(protobuf, "protobuf").rejected).toBe(0);
    const span = request.resourceSpans[0]!.scopeSpans[0]!.spans[1] as Record<string, unknown>;
    span.traceId = "abcd";
    const result = decodeTraceRequest(toProtobuf(request), "protobuf");
    expect(result.rejected).toBe(1);
    expect(result.problems[0]).toBe("resourceSpans[0].scopeSpans[0].spans[1].traceId must be 16 bytes, got 2");
  });

  const requestCases: { name: string; body: Buffer; encoding: "json" | "protobuf"; message: RegExp }[] = [
    { name: "empty JSON body", body: Buffer.alloc(0), encoding: "json", message: /body is empty/ },
    { name: "empty protobuf body", body: Buffer.alloc(0), encoding: "protobuf", message: /body is empty/ },
    { name: "JSON syntax error", body: Buffer.from("{\"resourceSpans\": ["), encoding: "json", message: /not valid JSON/ },
    { name: "JSON array root", body: Buffer.from("[]"), encoding: "json", message: /must be a JSON object/ },
    { name: "resourceSpans not a list", body: Buffer.from('{"resourceSpans": 5}'), encoding: "json", message: /resourceSpans must be an array/ },
    { name: "scopeSpans not a list", body: Buffer.from('{"resourceSpans": [{"scopeSpans": "x"}]}'), encoding: "json", message: /resourceSpans\[0\]\.scopeSpans must be an array/ },
    { name: "bad resource attribute", body: Buffer.from('{"resourceSpans": [{"resource": {"attributes": [{"key": 1}]}}]}'), encoding: "json", message: /resourceSpans\[0\]\.resource\.attributes\[0\]\.key/ },
    { name: "invalid UTF-8 in JSON", body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), encoding: "json", message: /not valid UTF-8/ },
    { name: "random bytes as protobuf", body: Buffer.from("ffffffffffffffffffff0102030405", "hex"), encoding: "protobuf", message: /not a valid OTLP/ },
    { name: "gzip data sent as protobuf", body: gzipSync(Buffer.from("hello")), encoding: "protobuf", message: /not a valid OTLP/ },
  ];

  it.each(requestCases)("answers 400 for $name", ({ body, encoding, message }) => {
    expect(badRequest(() => decodeTraceRequest(body, encoding))).toMatch(message);
  });

  it("answers 400 for truncated protobuf and for invalid UTF-8 inside protobuf strings", () => {
    const body = toProtobuf(jsonRequest(agentTrace()));
    expect(badRequest(() => decodeTraceRequest(body.subarray(0, body.length - 7), "protobuf"))).toMatch(/not a valid OTLP/);
    const marked = toProtobuf(jsonRequest([{ ...base(), name: "ABCD" }]));
    const at = marked.indexOf(Buffer.from("ABCD"));
    marked[at] = 0xff;
    expect(badRequest(() => decodeTraceRequest(marked, "protobuf"))).toMatch(/not valid UTF-8/);
  });
});
