// Builds one scenario, replays it in virtual time against a fresh database and evaluates it.
import { getEnv } from "@/lib/env";
import type { Provider } from "@/tests/helpers/db";
import { buildScenario, type ScenarioConfig } from "../traffic/scenario";
import { buildWorld, NO_FEATURES } from "../traffic/world";
import { evaluateScenario, type ScenarioEvaluation } from "./evaluate";
import { replay } from "./replay";

export interface ScenarioRun {
  name: string;
  kind: "clean" | "injected";
  description: string;
  unit: "traces" | "calls";
  stats: { runs: number; spans: number; requests: number; droppedSpans: number; lateFlushes: number; ticks: number; anomalies: number; alerts: number };
  seconds: { build: number; replay: number; encode: number; ingest: number; score: number; cpu: number };
  anomaliesByDetector: Record<string, number>;
  evaluation: ScenarioEvaluation;
}

export async function runScenario(cfg: ScenarioConfig, opts: { seed: number; scale: number; provider: Provider }): Promise<ScenarioRun> {
  const t0 = performance.now();
  const traffic = buildScenario(cfg, { seed: opts.seed, scale: opts.scale });
  const build = (performance.now() - t0) / 1000;
  const world = buildWorld({ ...NO_FEATURES, ...cfg.features }, opts.seed);
  const env = getEnv();
  const r = await replay(traffic, {
    provider: opts.provider,
    quietMs: env.ARGUS_TRACE_QUIET_MS,
    maxWaitMs: env.ARGUS_TRACE_MAX_WAIT_MS,
    batchSize: env.ARGUS_SCORER_BATCH,
    // During silences a tick every 30 s of virtual time (2 min with --quick: nights and weekends cost ticks).
    idleTickMs: opts.scale < 1 ? 120_000 : 30_000,
    sdkOf: (service) => world.services.get(service)?.sdk ?? "python",
  });
  const evaluation = evaluateScenario(traffic, r.anomalies);
  const anomaliesByDetector: Record<string, number> = {};
  for (const a of r.anomalies) {
    const k = `${a.detector}/${a.metric}`;
    anomaliesByDetector[k] = (anomaliesByDetector[k] ?? 0) + 1;
  }
  return {
    name: cfg.name,
    kind: cfg.kind,
    description: cfg.description,
    unit: traffic.unit,
    stats: { ...traffic.stats, ticks: r.ticks, anomalies: r.anomalies.length, alerts: r.alerts },
    seconds: { build, replay: r.seconds.total, encode: r.seconds.encode, ingest: r.seconds.ingest, score: r.seconds.score, cpu: r.cpuSeconds },
    anomaliesByDetector,
    evaluation,
  };
}
