// In-memory detector state of one partition, with dirty tracking so only changed keys are written.
// Row keys: "<partition>|<kind>|<projectId>|<entity>" (kind: span, chain, rate, class, meta).
// Every persisted value carries v: 2; rows of the earlier format are dropped on load (the models
// re-learn from new traffic), see docs/detection.md.
import { baselineFromJson, baselineToJson, emptyBaseline, emptyReference, type Baseline, type ReferenceErrors } from "./models/baseline";
import { emptyMarkov, type Markov } from "./models/markov";
import { emptyPool, HIST_LIMIT, type NoveltyPool } from "./models/novelty";
import { emptyRateState, rateFromJson, rateToJson, type RateState } from "./models/rates";
import { emptyStepErrors, type StepErrorState } from "./models/step-errors";
import { sketchFromJson, sketchToJson, type SketchJson } from "./models/tail-sketch";
import type { RootShare } from "./root-wait";

export interface SpanKeyState {
  latency: Baseline;
  inputTokens: Baseline;
  outputTokens: Baseline;
  cost: Baseline;
  errors: StepErrorState;
}

/** The errors of every span key of one kind (llm, tool, ...) in a project, per metric: the reference class of a key's tails. */
export interface ClassState {
  latency: ReferenceErrors;
  inputTokens: ReferenceErrors;
  outputTokens: ReferenceErrors;
  cost: ReferenceErrors;
}

export interface ChainKeyState {
  runs: number;
  markov: Markov;
  /** Calls per step (tool, model call, sub-agent) over all runs: the agent's repertoire. */
  steps: Record<string, number>;
  length: Baseline;
  fanout: Baseline;
  path: Baseline;
  /** Runs whose largest identical-call count / cycle repeat count is at least j (index j, capped). */
  sameCallAtLeast: number[];
  cycleAtLeast: number[];
  /** Loop signatures accepted by feedback, with the largest accepted count. */
  accepted: Record<string, number>;
}

export interface PendingTrace {
  projectId: string;
  traceId: string;
  lastSeq: number;
  lastReceivedMs: number;
  rootSeen: boolean;
  firstSeenMs: number;
  /** Point tests run on the trace's spans so far (their order sets each test's threshold). */
  tests: number;
  /** Metric observations (for change detection) and spans seen so far. */
  observations: number;
  spans: number;
  /** Calls of each span key so far (the iteration of a step within the run). */
  calls?: Record<string, number>;
  /** Scored at max wait (not learned): the chain models learn it when it completes. */
  partial?: boolean;
  /** Its size (tests, observations, spans) was learned into the project profile. */
  sized?: boolean;
  /** Seqs of spans held back until their agent is known (late agent spans), in arrival order. */
  held?: number[];
  /** Service of the trace's first span seen (whose root history decides how long a missing root is awaited). */
  service?: string;
}

/** What a trace of a project usually brings, learned from completed traces (budget.ts uses it). */
export interface ProjectProfile {
  testsPerTrace: number;
  observationsPerTrace: number;
  spansPerTrace: number;
  traces: number;
}

export interface MetaState {
  v: 2;
  /** Traces seen but not chain-scored since their last span. */
  pending: Record<string, PendingTrace>;
  /** Per project, the highest span end time seen (not beyond its arrival): the event-time clock of rate windows. */
  watermarks: Record<string, number>;
  /** Feedback applied up to this time, and the ids applied in the overlap window. */
  feedbackMs: number;
  feedbackIds: string[];
  profiles: Record<string, ProjectProfile>;
  /** Project-wide novelty statistics (a reference class for well-established behaviour). */
  novelty: Record<string, NoveltyPool>;
  /** Per "projectId|service": how often its traces brought their root (root-wait.ts). */
  roots: Record<string, RootShare>;
}

export type StateKind = "span" | "chain" | "rate" | "class" | "meta";

export interface PartitionState {
  partition: string;
  spans: Map<string, SpanKeyState>;
  chains: Map<string, ChainKeyState>;
  rates: Map<string, RateState>;
  classes: Map<string, ClassState>;
  meta: MetaState;
  /** Keys changed since the last save, as "<kind>|<projectId>|<entity>" (span, rate and class keys in their own sets: hot path). */
  dirty: Set<string>;
  dirtySpans: Set<string>;
  dirtyRates: Set<string>;
  dirtyClasses: Set<string>;
}

export function emptyPartitionState(partition: string): PartitionState {
  return { partition, spans: new Map(), chains: new Map(), rates: new Map(), classes: new Map(), meta: emptyMeta(), dirty: new Set(), dirtySpans: new Set(), dirtyRates: new Set(), dirtyClasses: new Set() };
}

export function emptyMeta(): MetaState {
  return { v: 2, pending: {}, watermarks: {}, feedbackMs: 0, feedbackIds: [], profiles: {}, novelty: {}, roots: {} };
}

export function emptySpanKey(): SpanKeyState {
  return { latency: emptyBaseline(), inputTokens: emptyBaseline(), outputTokens: emptyBaseline(), cost: emptyBaseline(), errors: emptyStepErrors() };
}

export function emptyChainKey(): ChainKeyState {
  return {
    runs: 0, markov: emptyMarkov(), steps: {}, length: emptyBaseline(), fanout: emptyBaseline(), path: emptyBaseline(),
    sameCallAtLeast: new Array(HIST_LIMIT + 1).fill(0), cycleAtLeast: new Array(HIST_LIMIT + 1).fill(0), accepted: {},
  };
}

/** "<projectId>|<entity>" */
export const stateKey = (projectId: string, entity: string) => `${projectId}|${entity}`;

export function spanKeyState(st: PartitionState, key: string): SpanKeyState {
  let s = st.spans.get(key);
  if (!s) st.spans.set(key, (s = emptySpanKey()));
  st.dirtySpans.add(key);
  return s;
}

export function chainKeyState(st: PartitionState, key: string): ChainKeyState {
  let s = st.chains.get(key);
  if (!s) st.chains.set(key, (s = emptyChainKey()));
  st.dirty.add(`chain|${key}`);
  return s;
}

export function emptyClass(): ClassState {
  return { latency: emptyReference(), inputTokens: emptyReference(), outputTokens: emptyReference(), cost: emptyReference() };
}

export function classState(st: PartitionState, key: string): ClassState {
  let s = st.classes.get(key);
  if (!s) st.classes.set(key, (s = emptyClass()));
  st.dirtyClasses.add(key);
  return s;
}

export function rateKeyState(st: PartitionState, key: string): RateState {
  let s = st.rates.get(key);
  if (!s) st.rates.set(key, (s = emptyRateState()));
  st.dirtyRates.add(key);
  return s;
}

export function noveltyPool(st: PartitionState, projectId: string): NoveltyPool {
  return (st.meta.novelty[projectId] ??= emptyPool());
}

export interface StateRow {
  key: string;
  projectId: string;
  detector: StateKind;
  entity: string;
  state: string;
}

function spanKeyToJson(s: SpanKeyState) {
  return { v: 2, latency: baselineToJson(s.latency), inputTokens: baselineToJson(s.inputTokens), outputTokens: baselineToJson(s.outputTokens), cost: baselineToJson(s.cost), errors: s.errors };
}

function spanKeyFromJson(j: Record<string, unknown>): SpanKeyState | null {
  if (j.v !== 2) return null;
  return { latency: baselineFromJson(j.latency), inputTokens: baselineFromJson(j.inputTokens), outputTokens: baselineFromJson(j.outputTokens), cost: baselineFromJson(j.cost), errors: { ...emptyStepErrors(), ...(j.errors as object) } };
}

function chainKeyToJson(s: ChainKeyState) {
  return { ...s, v: 2, length: baselineToJson(s.length), fanout: baselineToJson(s.fanout), path: baselineToJson(s.path) };
}

function chainKeyFromJson(j: Record<string, unknown>): ChainKeyState | null {
  if (j.v !== 2) return null;
  const base = emptyChainKey();
  return { ...base, ...(j as Partial<ChainKeyState>), length: baselineFromJson(j.length), fanout: baselineFromJson(j.fanout), path: baselineFromJson(j.path) };
}

const METRICS = ["latency", "inputTokens", "outputTokens", "cost"] as const;

function classToJson(s: ClassState) {
  return { v: 2, ...Object.fromEntries(METRICS.map((m) => [m, { errors: sketchToJson(s[m].errors), lastMs: s[m].lastMs }])) };
}

function classFromJson(j: Record<string, unknown>): ClassState | null {
  if (j.v !== 2) return null;
  const metric = (m: (typeof METRICS)[number]): ReferenceErrors => {
    const r = j[m] as { errors?: SketchJson; lastMs?: number } | undefined;
    return { errors: sketchFromJson(r?.errors), lastMs: r?.lastMs ?? 0 };
  };
  return { latency: metric("latency"), inputTokens: metric("inputTokens"), outputTokens: metric("outputTokens"), cost: metric("cost") };
}

/** Persisted JSON of a value (numbers rounded to 7 significant digits where the model allows it). */
function serialize(kind: StateKind, value: unknown): string {
  if (kind === "span") return JSON.stringify(spanKeyToJson(value as SpanKeyState));
  if (kind === "chain") return JSON.stringify(chainKeyToJson(value as ChainKeyState));
  if (kind === "rate") return JSON.stringify(rateToJson(value as RateState));
  if (kind === "class") return JSON.stringify(classToJson(value as ClassState));
  return JSON.stringify(value);
}

/** Rows for the dirty keys (and the meta row), then clears the dirty set. */
export function takeDirtyRows(st: PartitionState): StateRow[] {
  const rows: StateRow[] = [];
  for (const k of st.dirtySpans) st.dirty.add(`span|${k}`);
  for (const k of st.dirtyRates) st.dirty.add(`rate|${k}`);
  for (const k of st.dirtyClasses) st.dirty.add(`class|${k}`);
  st.dirtySpans.clear();
  st.dirtyRates.clear();
  st.dirtyClasses.clear();
  for (const d of st.dirty) {
    const [kind, projectId, ...rest] = d.split("|") as [StateKind, string, ...string[]];
    const entity = rest.join("|");
    const key = `${projectId}|${entity}`;
    const value = kind === "span" ? st.spans.get(key) : kind === "chain" ? st.chains.get(key) : kind === "class" ? st.classes.get(key) : st.rates.get(key);
    if (value) rows.push({ key: `${st.partition}|${d}`, projectId, detector: kind, entity, state: serialize(kind, value) });
  }
  rows.push({ key: `${st.partition}|meta||`, projectId: "", detector: "meta", entity: "", state: JSON.stringify(st.meta) });
  st.dirty.clear();
  return rows;
}

export function restoreState(partition: string, rows: ReadonlyArray<{ key: string; state: unknown }>): PartitionState {
  const st = emptyPartitionState(partition);
  const prefix = `${partition}|`;
  for (const row of rows) {
    if (!row.key.startsWith(prefix)) continue;
    const value = (typeof row.state === "string" ? JSON.parse(row.state) : row.state) as Record<string, unknown>;
    const [kind, ...rest] = row.key.slice(prefix.length).split("|");
    const key = rest.join("|");
    if (kind === "span") {
      const s = spanKeyFromJson(value);
      if (s) st.spans.set(key, s);
    } else if (kind === "chain") {
      const s = chainKeyFromJson(value);
      if (s) st.chains.set(key, s);
    } else if (kind === "rate") {
      const s = rateFromJson(value);
      if (s) st.rates.set(key, s);
    } else if (kind === "class") {
      const s = classFromJson(value);
      if (s) st.classes.set(key, s);
    } else if (kind === "meta" && value.v === 2) {
      st.meta = { ...emptyMeta(), ...(value as Partial<MetaState>) };
    }
  }
  return st;
}

/** A span key's state as the dashboard reads it (persisted JSON → models), or null for another format. */
export function parseSpanKeyState(state: unknown): SpanKeyState | null {
  const value = (typeof state === "string" ? JSON.parse(state) : state) as Record<string, unknown> | null;
  return value ? spanKeyFromJson(value) : null;
}
