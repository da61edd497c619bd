import { describe, expect, it } from "vitest";
import { buildWaterfall } from "./span-tree";

const ms = (v: number) => String(BigInt(v) * 1_000_000n + 1_700_000_000_000_000_000n);
const span = (spanId: string, parentSpanId: string | null, start: number, end: number) => ({ spanId, parentSpanId, startNs: ms(start), endNs: ms(end) });

describe("buildWaterfall", () => {
  const spans = [span("c2", "root", 50, 90), span("root", null, 0, 100), span("c1", "root", 10, 40), span("g", "c1", 12, 20)];
  it("orders depth-first with children by start time", () => {
    const { rows } = buildWaterfall(spans);
    expect(rows.map((r) => `${r.span.spanId}@${r.depth}`)).toEqual(["root@0", "c1@1", "g@2", "c2@1"]);
  });
  it("computes offsets and the total from the earliest start to the latest end", () => {
    const { rows, totalMs } = buildWaterfall(spans);
    expect(totalMs).toBe(100);
    expect(rows.find((r) => r.span.spanId === "c2")).toMatchObject({ offsetMs: 50, durationMs: 40 });
  });
  it("hides the children of a collapsed span but keeps its child count", () => {
    const { rows } = buildWaterfall(spans, new Set(["c1"]));
    expect(rows.map((r) => r.span.spanId)).toEqual(["root", "c1", "c2"]);
    expect(rows[1]!.childCount).toBe(1);
  });
  it("shows spans whose parent never arrived as roots", () => {
    const { rows } = buildWaterfall([span("orphan", "missing", 0, 5)]);
    expect(rows[0]).toMatchObject({ depth: 0 });
  });
  it("survives a parent cycle", () => {
    const { rows } = buildWaterfall([span("a", "b", 0, 1), span("b", "a", 0, 1), span("r", null, 0, 2)]);
    expect(rows.map((r) => r.span.spanId)).toEqual(["r"]);
  });
  it("empty input", () => expect(buildWaterfall([])).toEqual({ rows: [], totalMs: 0 }));
});
