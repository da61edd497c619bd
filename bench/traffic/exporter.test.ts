import { describe, expect, it } from "vitest";
import type { ServiceSpec } from "./catalog";
import { exportSpans, MAX_EXPORT_BATCH, MAX_QUEUE, SCHEDULE_DELAY_MS } from "./exporter";
import { Rng } from "./rng";
import type { SimSpan } from "./types";

const service = (sdk: "python" | "node"): ServiceSpec => ({ name: "svc", flavour: "genai", replicas: 1, sdk, skewMs: 0, autoInstrumented: false });

/** A run of `minutes` with one child span ending every `everyMs`, and its agent span ending last. */
function longRun(minutes: number, everyMs: number, t0 = 1_000_000): SimSpan[] {
  const base = { traceId: "t".repeat(32), service: "svc", instance: 0, otelKind: 1, status: 0 as const, attrs: [], scope: "s" };
  const end = t0 + minutes * 60_000;
  const spans: SimSpan[] = [];
  for (let t = t0 + everyMs, i = 0; t < end; t += everyMs, i++) {
    spans.push({ ...base, spanId: `c${String(i).padStart(15, "0")}`, parentSpanId: "root000000000000", name: "child", startMs: t - everyMs / 2, endMs: t });
  }
  spans.push({ ...base, spanId: "root000000000000", parentSpanId: null, name: "agent", startMs: t0, endMs: end });
  return spans;
}

describe.each(["python", "node"] as const)("BatchSpanProcessor (%s)", (sdk) => {
  const services = new Map([["svc", service(sdk)]]);

  it("sends children before their agent span, in several pieces for a 5-minute run", () => {
    const spans = longRun(5, 2000);
    const { requests } = exportSpans(new Rng(1), spans, services);
    expect(requests.length).toBeGreaterThanOrEqual(50); // one piece every ~5 s
    const where = new Map<string, number>();
    requests.forEach((r, i) => r.spans.forEach((s) => where.set(s.spanId, i)));
    const root = where.get("root000000000000")!;
    expect(root).toBe(requests.length - 1);
    for (const s of spans) if (s.parentSpanId) expect(where.get(s.spanId)!).toBeLessThanOrEqual(root);
    expect(requests.filter((r) => r.spans.some((s) => s.parentSpanId)).length).toBeGreaterThan(40);
  });

  it("exports a span within about one schedule delay of its end, and requests arrive in order", () => {
    const { requests } = exportSpans(new Rng(2), longRun(3, 700), services);
    for (const r of requests) for (const s of r.spans) expect(r.receivedMs - s.endMs).toBeLessThan(SCHEDULE_DELAY_MS + 4000);
    for (let i = 1; i < requests.length; i++) expect(requests[i]!.receivedMs).toBeGreaterThanOrEqual(requests[i - 1]!.receivedMs);
  });

  it("caps a request at 512 spans and drops spans beyond a full queue", () => {
    // 5,000 spans ending within one millisecond: the queue holds 2,048 and the rest is dropped.
    const base = { traceId: "u".repeat(32), service: "svc", instance: 0, otelKind: 1, status: 0 as const, attrs: [], scope: "s", parentSpanId: null, name: "x" };
    const burst: SimSpan[] = Array.from({ length: 5000 }, (_, i) => ({ ...base, spanId: String(i).padStart(16, "0"), startMs: 0, endMs: 1000 + i / 5000 }));
    const { requests, dropped } = exportSpans(new Rng(3), burst, services);
    expect(Math.max(...requests.map((r) => r.spans.length))).toBeLessThanOrEqual(MAX_EXPORT_BATCH);
    expect(dropped).toBeGreaterThan(0);
    expect(requests.reduce((n, r) => n + r.spans.length, 0) + dropped).toBe(5000);
    expect(requests.reduce((n, r) => n + r.spans.length, 0)).toBeGreaterThanOrEqual(MAX_QUEUE);
  });

  it("delivers a replica's exports late during a late window", () => {
    const spans = longRun(20, 5000);
    const from = 1_000_000 + 5 * 60_000;
    const { requests, lateFlushes } = exportSpans(new Rng(4), spans, services, [{ service: "svc", instance: 0, fromMs: from, toMs: from + 10 * 60_000 }]);
    const to = from + 10 * 60_000;
    expect(lateFlushes).toBeGreaterThan(50);
    expect(requests.filter((r) => r.receivedMs > from + 2000 && r.receivedMs < to)).toEqual([]);
    expect(requests.filter((r) => r.receivedMs >= to && r.receivedMs < to + 30 * lateFlushes + 1000).length).toBeGreaterThanOrEqual(lateFlushes);
  });
});
