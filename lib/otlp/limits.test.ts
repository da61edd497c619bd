import { describe, expect, it } from "vitest";
import { jsonRequest, jsonSpan, toProtobuf, type FixtureSpan, type Plain } from "@/tests/helpers/otlp-fixtures";
import { decodeTraceRequest, partialSuccessMessage } from "./decode";
import { DEFAULT_INGEST_LIMITS, describeTally, DROPPED_KEYS, type IngestLimits } from "./limits";

const LIMITS: IngestLimits = { maxSpansPerRequest: 3, maxAttributesPerSpan: 4, maxEventsPerSpan: 2, maxLinksPerSpan: 1, maxAttributeChars: 100, maxAttributeValues: 1024, maxAttributeDepth: 8 };
const TRACE = "0af7651916cd43dd8448eb211c80319c";

const span = (i: number, extra: Partial<FixtureSpan> = {}): FixtureSpan => ({
  traceId: TRACE, spanId: (i + 1).toString(16).padStart(16, "0"), name: `s${i}`, startNs: 1_700_000_000_000_000_000n, endNs: 1_700_000_001_000_000_000n, ...extra,
});
const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
const events = (n: number, attributeCount = 6) => Array.from({ length: n }, (_, i) => ({ name: `e${i}`, timeNs: 1_700_000_000_000_000_001n, attributes: attrs(attributeCount) }));

/** A request whose spans carry `linkCount` links; link ids are hex for JSON and base64 of the bytes for protobuf. */
function request(spans: FixtureSpan[], linkCount = 0, encoding: "json" | "protobuf" = "json") {
  const id = (h: string) => (encoding === "json" ? h : Buffer.from(h, "hex").toString("base64"));
  const req = jsonRequest(spans);
  const scopeSpans = req.resourceSpans[0]!.scopeSpans[0]!;
  scopeSpans.spans = spans.map((s) => ({ ...jsonSpan(s), links: Array.from({ length: linkCount }, (_, i) => ({ traceId: id(TRACE), spanId: id((i + 100).toString(16).padStart(16, "0")), attributes: [] })) }));
  return req;
}

function decodeBoth(spans: FixtureSpan[], linkCount = 0, limits = LIMITS) {
  const json = decodeTraceRequest(Buffer.from(JSON.stringify(request(spans, linkCount, "json"))), "json", limits);
  const protobuf = decodeTraceRequest(toProtobuf(request(spans, linkCount, "protobuf")), "protobuf", limits);
  return { json, protobuf };
}

describe("ingestion limits", () => {
  it.each([
    {
      name: "within every limit: nothing cut, no message",
      spans: [span(0, { attributes: attrs(4), events: events(2, 4) })], links: 1,
      check: (r: ReturnType<typeof decodeTraceRequest>) => {
        expect(r.truncated).toBeUndefined();
        expect(partialSuccessMessage(r)).toBe("");
        expect(Object.keys(r.spans[0]!.attributes)).toHaveLength(4);
      },
    },
    {
      name: "attributes over the limit: first N kept, the count of dropped ones recorded",
      spans: [span(0, { attributes: attrs(10) })], links: 0,
      check: (r: ReturnType<typeof decodeTraceRequest>) => {
        expect(r.spans[0]!.attributes).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, [DROPPED_KEYS.attributes]: 6 });
        expect(r.truncated).toContain("6 attribute(s) dropped");
        expect(r.rejected).toBe(0);
      },
    },
    {
      name: "events and links over the limit, and event attributes capped too",
      spans: [span(0, { events: events(5) })], links: 3,
      check: (r: ReturnType<typeof decodeTraceRequest>) => {
        const s = r.spans[0]!;
        expect(s.events!.map((e) => e.name)).toEqual(["e0", "e1"]);
        expect(s.events![0]!.attributes[DROPPED_KEYS.attributes]).toBe(2);
        expect(s.links).toHaveLength(1);
        expect(s.attributes).toEqual({ [DROPPED_KEYS.events]: 3, [DROPPED_KEYS.links]: 2 });
        expect(r.truncated).toContain("3 event(s) dropped");
        expect(r.truncated).toContain("2 link(s) dropped");
      },
    },
    {
      name: "long strings cut with a marker",
      spans: [span(0, { name: "n".repeat(150), attributes: { long: "x".repeat(250) } })], links: 0,
      check: (r: ReturnType<typeof decodeTraceRequest>) => {
        expect(r.spans[0]!.attributes.long).toBe(`${"x".repeat(100)}…[truncated 150 chars]`);
        expect(r.spans[0]!.name).toBe(`${"n".repeat(100)}…[truncated 50 chars]`);
        expect(r.truncated).toContain("2 string value(s) truncated to 100 characters");
      },
    },
    {
      name: "spans over the per-request limit rejected and counted",
      spans: [0, 1, 2, 3, 4].map((i) => span(i)), links: 0,
      check: (r: ReturnType<typeof decodeTraceRequest>) => {
        expect(r.spans.map((s) => s.name)).toEqual(["s0", "s1", "s2"]);
        expect(r.rejected).toBe(2);
        expect(partialSuccessMessage(r)).toMatch(/^2 span\(s\) rejected: .*spans\[3\] and later spans are over the limit of 3 spans per request/);
      },
    },
  ])("$name (JSON and protobuf alike)", ({ spans, links, check }) => {
    const { json, protobuf } = decodeBoth(spans, links);
    expect(json).toEqual(protobuf);
    check(json);
  });

  it("nested key-value lists are not capped (only the top level of a span, event or link)", () => {
    const { json } = decodeBoth([span(0, { attributes: { kv: attrs(10) } })]);
    expect(Object.keys(json.spans[0]!.attributes.kv as object)).toHaveLength(10);
  });

  it("the limits apply only to the decode they wrap", () => {
    decodeBoth([span(0, { attributes: attrs(10) })]);
    const after = decodeTraceRequest(Buffer.from(JSON.stringify(request([span(0, { attributes: attrs(10) })]))), "json");
    expect(Object.keys(after.spans[0]!.attributes)).toHaveLength(10);
    expect(after.truncated).toBeUndefined();
  });

  it("defaults follow the OpenTelemetry SDK (128 attributes, events, links)", () => {
    expect(DEFAULT_INGEST_LIMITS).toMatchObject({ maxAttributesPerSpan: 128, maxEventsPerSpan: 128, maxLinksPerSpan: 128 });
    expect(describeTally({ droppedAttributes: 0, droppedEvents: 0, droppedLinks: 0, truncatedValues: 0, droppedValues: 0 }, DEFAULT_INGEST_LIMITS)).toBe("");
  });
});

describe("nested attribute values (issue 17 finding 8: 300k nested keys were accepted whole)", () => {
  const NESTED: IngestLimits = { ...DEFAULT_INGEST_LIMITS, maxAttributeValues: 50, maxAttributeDepth: 3 };
  const kvlist = (n: number): Plain => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  const cases: Array<{ name: string; attributes: Record<string, Plain>; kept: (a: Record<string, unknown>) => void; dropped: number }> = [
    { name: "300k nested keys in one attribute: 50 values kept", attributes: { big: kvlist(300_000) }, kept: (a) => expect(Object.keys(a.big as object)).toHaveLength(50), dropped: 299_950 },
    { name: "an array of 1000 values", attributes: { list: Array.from({ length: 1000 }, (_, i) => i) }, kept: (a) => expect(a.list).toHaveLength(50), dropped: 950 },
    { name: "the budget is shared by the set: later attributes are dropped", attributes: { first: Array.from({ length: 50 }, (_, i) => i), second: "late" }, kept: (a) => expect(a.second).toBeUndefined(), dropped: 1 },
    { name: "within the limits nothing is dropped", attributes: { a: { b: { c: 1 } }, d: [1, 2, 3] }, kept: (a) => expect(a).toMatchObject({ a: { b: { c: 1 } }, d: [1, 2, 3] }), dropped: 0 },
    { name: "a list nested deeper than 3 levels is dropped, its siblings kept", attributes: { deep: { l1: { l2: { l3: { l4: 1 } } }, ok: 2 } }, kept: (a) => expect(a.deep).toEqual({ l1: { l2: {} }, ok: 2 }), dropped: 1 },
  ];
  it.each(cases)("$name", ({ attributes, kept, dropped }) => {
    const request = jsonRequest([span(0, { attributes })]);
    for (const body of [Buffer.from(JSON.stringify(request)), toProtobuf(request)]) {
      const decoded = decodeTraceRequest(body, body[0] === 0x7b ? "json" : "protobuf", NESTED);
      expect(decoded.spans).toHaveLength(1);
      const a = decoded.spans[0]!.attributes;
      kept(a);
      expect(a[DROPPED_KEYS.values]).toBe(dropped || undefined);
      if (dropped) expect(partialSuccessMessage(decoded)).toContain(`${dropped} nested attribute value(s) dropped over the limits of 50 values and 3 levels`);
      else expect(decoded.truncated).toBeUndefined();
    }
  });

  it("300k nested keys leave a span the size of 1024 values, not 300k (what stalled storage and the trace view)", () => {
    const body = Buffer.from(JSON.stringify(jsonRequest([span(0, { attributes: { big: kvlist(300_000) } })])));
    const stored = JSON.stringify(decodeTraceRequest(body, "json").spans[0]!.attributes);
    expect(body.length).toBeGreaterThan(5_000_000);
    expect(stored.length).toBeLessThan(20_000);
  });
});
