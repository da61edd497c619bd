import { describe, expect, it } from "vitest";
import { decodeTraceRequest } from "@/lib/otlp/decode";
import { normalizeSpan } from "@/lib/ingest/normalize-span";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { durationNsOf, exportBatches, exportOrder, otlpRequest, rowIds, rowToSpan } from "./map-rows";
import { parseNabCsv, type NabFile } from "./read-data";

function file(text: string, rel = "realKnownCause/nyc_taxi.csv"): NabFile {
  const [category, name] = rel.split("/") as [string, string];
  return { rel, category, stem: name.replace(/\.csv$/, ""), ...parseNabCsv(text, rel) };
}

const taxi = file("timestamp,value\n2014-07-01 00:00:00,10844\n2014-07-01 00:30:00,8127.5\n");

describe("rowToSpan", () => {
  it("makes a tool-call root span that starts at the row's time and lasts its value in ms", () => {
    expect(rowToSpan(taxi, 1)).toEqual({
      traceId: rowIds("realKnownCause/nyc_taxi.csv", 1).traceId,
      spanId: rowIds("realKnownCause/nyc_taxi.csv", 1).spanId,
      name: "execute_tool realKnownCause/nyc_taxi",
      kind: 1,
      startTimeUnixNano: String(Date.UTC(2014, 6, 1, 0, 30) * 1_000_000),
      endTimeUnixNano: String(Date.UTC(2014, 6, 1, 0, 30) * 1_000_000 + 8_127_500_000),
      attributes: [
        { key: "gen_ai.operation.name", value: { stringValue: "execute_tool" } },
        { key: "gen_ai.tool.name", value: { stringValue: "realKnownCause/nyc_taxi" } },
      ],
      status: { code: 1 },
    });
  });

  it("is what the product stores as a tool call of service nab, step <category>/<stem>", () => {
    const [span] = decodeTraceRequest(Buffer.from(JSON.stringify(otlpRequest(taxi, [0]))), "json").spans;
    expect(span).toMatchObject({ parentSpanId: null, statusCode: 1, resource: { service: "nab" } });
    expect(normalizeSpan(span!, DEFAULT_PRICES)).toMatchObject({ kind: "tool", step: "realKnownCause/nyc_taxi", operation: "execute_tool", agent: null, model: null });
    expect(Number(span!.endNs - span!.startNs) / 1e6).toBe(10844);
  });
});

describe("rowIds", () => {
  it("derives trace and span ids from the file and the row index, the same every time", () => {
    const a = rowIds("realKnownCause/nyc_taxi.csv", 0);
    expect(a).toEqual(rowIds("realKnownCause/nyc_taxi.csv", 0));
    expect(a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.spanId).toMatch(/^[0-9a-f]{16}$/);
    const others = [rowIds("realKnownCause/nyc_taxi.csv", 1), rowIds("artificialNoAnomaly/nyc_taxi.csv", 0)];
    for (const o of others) expect(o.traceId).not.toBe(a.traceId);
  });
});

describe("durationNsOf", () => {
  it.each([
    ["a whole value", 12, 0, 12_000_000n],
    ["a fraction of a ms", 0.132, 0, 132_000n],
    ["zero", 0, 0, 0n],
    ["a negative value with the file's shift", -21.9988, 21.9988, 0n],
    ["below a nanosecond: rounded", 9.222e-6, 0, 9n],
    ["the largest NAB value (68 h)", 245_126_000, 0, 245_126_000_000_000n],
  ])("%s", (_name, value, shift, expected) => {
    expect(durationNsOf(value, shift)).toBe(expected);
  });

  it("refuses a negative duration", () => {
    expect(() => durationNsOf(-1, 0)).toThrow(/not a duration/);
  });
});

describe("parseNabCsv", () => {
  it("shifts a file with negative values by -min, and only such a file", () => {
    expect(file("timestamp,value\n2014-01-01 00:00:00,-2.5\n2014-01-01 00:05:00,4\n").shift).toBe(2.5);
    expect(file("timestamp,value\n2014-01-01 00:00:00,0\n2014-01-01 00:05:00,4\n").shift).toBe(0);
  });

  it.each([
    ["a header without value", "timestamp,count\n2014-01-01 00:00:00,1\n", /header/],
    ["a value that is not a number", "timestamp,value\n2014-01-01 00:00:00,abc\n", /line 2: value "abc"/],
    ["a timestamp that is not NAB's format", "timestamp,value\n01/02/2014,1\n", /line 2: unparseable timestamp/],
    ["no rows", "timestamp,value\n", /no rows/],
  ])("rejects %s", (_name, text, message) => {
    expect(() => parseNabCsv(text, "x/y.csv")).toThrow(message);
  });
});

describe("export order and batches", () => {
  const shuffled = file("timestamp,value\n2014-01-01 00:10:00,1\n2014-01-01 00:00:00,2\n2014-01-01 00:05:00,3\n2014-01-01 00:05:00,4\n");

  it("exports rows in time order, ties in file order", () => {
    expect(exportOrder(shuffled)).toEqual([1, 2, 3, 0]);
  });

  it("cuts batches of at most the given size in that order", () => {
    expect(exportBatches(shuffled, 3)).toEqual([[1, 2, 3], [0]]);
    expect(exportBatches(shuffled, 1000)).toEqual([[1, 2, 3, 0]]);
  });
});
