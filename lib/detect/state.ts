// In-memory detector state of one partition, with dirty tracking so only changed keys are written.
// Row keys: "<partition>|<kind>|<projectId>|<entity>" (kind: span, chain, rate, meta).
import { emptyBaseline, type Baseline } from "./models/baseline";
import { emptyMarkov, type Markov } from "./models/markov";
import { emptyRateState, type RateState } from "./models/rates";
import { emptyStepErrors, type StepErrorState } from "./models/step-errors";

export interface SpanKeyState {
  latency: Baseline;
  inputTokens: Baseline;
  outputTokens: Baseline;
  cost: Baseline;
  errors: StepErrorState;
}

export interface ChainKeyState {
  runs: number;
  markov: Markov;
  length: Baseline;
  fanout: Baseline;
  path: Baseline;
  /** Histograms (index = value, capped) of identical-call counts and cycle repeats per run. */
  sameCall: number[];
  cycle: number[];
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
}

export interface MetaState {
  /** Traces seen but not chain-scored since their last span. */
  pending: Record<string, PendingTrace>;
  /** Highest span end time seen (event-time watermark for rate windows). */
  watermarkMs: number;
  /** Rate windows were last swept up to this window start. */
  rateSweepMs: number;
  /** Feedback applied up to this time, and the ids applied in the overlap window. */
  feedbackMs: number;
  feedbackIds: string[];
}

export type StateKind = "span" | "chain" | "rate" | "meta";

export interface PartitionState {
  partition: string;
  spans: Map<string, SpanKeyState>;
  chains: Map<string, ChainKeyState>;
  rates: Map<string, RateState>;
  meta: MetaState;
  /** Keys changed since the last save, as "<kind>|<projectId>|<entity>" (span and rate keys in their own sets: hot path). */
  dirty: Set<string>;
  dirtySpans: Set<string>;
  dirtyRates: Set<string>;
}

export const HIST_MAX = 32;

export function emptyPartitionState(partition: string): PartitionState {
  return { partition, spans: new Map(), chains: new Map(), rates: new Map(), meta: emptyMeta(), dirty: new Set(), dirtySpans: new Set(), dirtyRates: new Set() };
}

export function emptyMeta(): MetaState {
  return { pending: {}, watermarkMs: 0, rateSweepMs: 0, feedbackMs: 0, feedbackIds: [] };
}

export function emptySpanKey(): SpanKeyState {
  return { latency: emptyBaseline(), inputTokens: emptyBaseline(), outputTokens: emptyBaseline(), cost: emptyBaseline(), errors: emptyStepErrors() };
}

export function emptyChainKey(): ChainKeyState {
  return { runs: 0, markov: emptyMarkov(), length: emptyBaseline(), fanout: emptyBaseline(), path: emptyBaseline(), sameCall: new Array(HIST_MAX + 1).fill(0), cycle: new Array(HIST_MAX + 1).fill(0), accepted: {} };
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

export function rateKeyState(st: PartitionState, key: string): RateState {
  let s = st.rates.get(key);
  if (!s) st.rates.set(key, (s = emptyRateState()));
  st.dirtyRates.add(key);
  return s;
}

export interface StateRow {
  key: string;
  projectId: string;
  detector: StateKind;
  entity: string;
  state: string;
}

/** Rows for the dirty keys (and the meta row), then clears the dirty set. */
export function takeDirtyRows(st: PartitionState): StateRow[] {
  const rows: StateRow[] = [];
  for (const k of st.dirtySpans) st.dirty.add(`span|${k}`);
  for (const k of st.dirtyRates) st.dirty.add(`rate|${k}`);
  st.dirtySpans.clear();
  st.dirtyRates.clear();
  for (const d of st.dirty) {
    const [kind, projectId, ...rest] = d.split("|") as [StateKind, string, ...string[]];
    const entity = rest.join("|");
    const key = `${projectId}|${entity}`;
    const value = kind === "span" ? st.spans.get(key) : kind === "chain" ? st.chains.get(key) : st.rates.get(key);
    if (value) rows.push({ key: `${st.partition}|${d}`, projectId, detector: kind, entity, state: JSON.stringify(value) });
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
    const value = typeof row.state === "string" ? JSON.parse(row.state) : row.state;
    const [kind, ...rest] = row.key.slice(prefix.length).split("|");
    const key = rest.join("|");
    if (kind === "span") st.spans.set(key, value as SpanKeyState);
    else if (kind === "chain") st.chains.set(key, value as ChainKeyState);
    else if (kind === "rate") st.rates.set(key, value as RateState);
    else if (kind === "meta") st.meta = { ...emptyMeta(), ...(value as MetaState) };
  }
  return st;
}
