// Prints what a scenario generates, to check its realism by eye:
//   npx tsx bench/traffic/inspect.ts SCENARIO [--quick] [--seed 42] [--steps 40]
// Traffic, exporter behaviour (pieces per trace, children before parents, late spans) and per-step
// latency / token / error statistics as the server would see them.
import { parseArgs } from "node:util";
import { buildScenario } from "./scenario";
import { findScenarios } from "./scenarios";
import type { SimSpan } from "./types";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { quick: { type: "boolean", default: false }, seed: { type: "string", default: "42" }, steps: { type: "string", default: "40" } } });
const [cfg] = findScenarios(positionals.slice(0, 1));
const tr = buildScenario(cfg!, { seed: Number(values.seed), scale: values.quick ? 0.12 : 1 });
const q = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const f = (v: number) => (Number.isNaN(v) ? "-" : v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1));

console.log(`${tr.name}: ${tr.description}`);
console.log(`  ${new Date(tr.startMs).toISOString()} → ${new Date(tr.endMs).toISOString()}, warm-up until ${new Date(tr.warmupEndMs).toISOString()}`);
console.log(`  ${JSON.stringify(tr.stats)}; episodes ${tr.episodes.length}`);

const received = new Map<string, number>();
const byTrace = new Map<string, { spans: SimSpan[]; pieces: Set<number> }>();
tr.requests.forEach((r, i) => {
  for (const s of r.spans) {
    received.set(s.spanId, r.receivedMs);
    let t = byTrace.get(s.traceId);
    if (!t) byTrace.set(s.traceId, (t = { spans: [], pieces: new Set() }));
    t.spans.push(s);
    t.pieces.add(i);
  }
});
const spansPer = [...byTrace.values()].map((t) => t.spans.length);
const pieces = [...byTrace.values()].map((t) => t.pieces.size);
const durations = tr.traces.map((t) => (t.endMs - t.startMs) / 1000);
let childBefore = 0;
let children = 0;
let lateAfterRoot = 0;
for (const t of byTrace.values()) {
  const ids = new Map(t.spans.map((s) => [s.spanId, s]));
  const root = t.spans.find((s) => s.parentSpanId === null);
  for (const s of t.spans) {
    const parent = s.parentSpanId ? ids.get(s.parentSpanId) : undefined;
    if (!parent) continue;
    children++;
    if (received.get(s.spanId)! < received.get(parent.spanId)!) childBefore++;
    if (root && received.get(s.spanId)! > received.get(root.spanId)! + 1000) lateAfterRoot++;
  }
}
const perReq = tr.requests.map((r) => r.spans.length);
const hours = (tr.endMs - tr.startMs) / 3_600_000;
console.log(`  runs/hour ${f(tr.traces.length / hours)}; spans/trace p50 ${q(spansPer, 0.5)} p99 ${q(spansPer, 0.99)} max ${Math.max(...spansPer)}; trace duration p50 ${f(q(durations, 0.5))} s p99 ${f(q(durations, 0.99))} s max ${f(Math.max(...durations))} s`);
console.log(`  requests: spans/request p50 ${q(perReq, 0.5)} max ${Math.max(...perReq)}; export pieces per trace p50 ${q(pieces, 0.5)} p99 ${q(pieces, 0.99)} max ${Math.max(...pieces)}`);
console.log(`  children received before their parent ${((100 * childBefore) / Math.max(1, children)).toFixed(1)} %; spans received > 1 s after their root ${((100 * lateAfterRoot) / Math.max(1, children)).toFixed(2)} %`);

interface StepStats { n: number; err: number; dur: number[]; out: number[]; inp: number[]; cost: number[] }
const steps = new Map<string, StepStats>();
const num = (s: SimSpan, keys: string[]) => {
  for (const [k, v] of s.attrs) if (keys.includes(k) && typeof v === "number") return v;
  return null;
};
for (const r of tr.requests) {
  for (const s of r.spans) {
    const key = `${s.service} ${s.name}`;
    let st = steps.get(key);
    if (!st) steps.set(key, (st = { n: 0, err: 0, dur: [], out: [], inp: [], cost: [] }));
    st.n++;
    if (s.status === 2) st.err++;
    st.dur.push(s.endMs - s.startMs);
    const o = num(s, ["gen_ai.usage.output_tokens", "llm.token_count.completion"]);
    const i = num(s, ["gen_ai.usage.input_tokens", "llm.token_count.prompt"]);
    const c = num(s, ["gen_ai.usage.cost", "llm.cost.total"]);
    if (o !== null) st.out.push(o);
    if (i !== null) st.inp.push(i);
    if (c !== null) st.cost.push(c);
  }
}
console.log(`\n  ${"step".padEnd(52)} ${"n".padStart(7)} ${"err%".padStart(6)} ${"p50 ms".padStart(8)} ${"p99".padStart(8)} ${"p99.9".padStart(8)} ${"max".padStart(9)}  in p50/p99     out p50/p99   cost p50`);
for (const [k, st] of [...steps].sort((a, b) => b[1].n - a[1].n).slice(0, Number(values.steps))) {
  const tok = st.out.length ? `${f(q(st.inp, 0.5)).padStart(6)}/${f(q(st.inp, 0.99)).padEnd(7)} ${f(q(st.out, 0.5)).padStart(5)}/${f(q(st.out, 0.99)).padEnd(7)}` : "".padEnd(28);
  console.log(`  ${k.slice(0, 52).padEnd(52)} ${String(st.n).padStart(7)} ${((100 * st.err) / st.n).toFixed(2).padStart(6)} ${f(q(st.dur, 0.5)).padStart(8)} ${f(q(st.dur, 0.99)).padStart(8)} ${f(q(st.dur, 0.999)).padStart(8)} ${f(Math.max(...st.dur)).padStart(9)}  ${tok} ${st.cost.length ? q(st.cost, 0.5).toExponential(2) : ""}`);
}
if (tr.episodes.length) {
  console.log("\n  episodes:");
  for (const e of tr.episodes.slice(0, 40)) console.log(`    ${e.id.padEnd(18)} ${e.size.padEnd(12)} ${JSON.stringify(e.key).padEnd(70)} ${new Date(e.startMs).toISOString().slice(11, 19)}–${new Date(e.endMs).toISOString().slice(11, 19)} traces ${e.traceIds.length} calls ${e.callEndMs.length}`);
}
