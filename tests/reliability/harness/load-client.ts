// Starts and steers a load generator process (load-process.ts) from a test or bench.
import { fork } from "node:child_process";
import path from "node:path";
import type { LoadStats } from "./load";
import type { ChildMessage, LoadSpec, ParentMessage, TimelineEntry } from "./load-protocol";
import { ROOT } from "./processes";

export interface LoadResult {
  stats: LoadStats;
  /** traceId → spans acknowledged with a 200. */
  acked: Map<string, number>;
}

export interface LoadProcess {
  /** Latest progress report (refreshed every 500 ms). */
  stats(): LoadStats;
  /** Every answer so far, with its time. */
  timeline: TimelineEntry[];
  setRate(rate: number): void;
  setUrls(urls: string[]): void;
  /** Answers with `status` received after `since` (ms since the epoch). */
  countSince(since: number, status: number): number;
  /** Stops sending, waits for the answers in flight and returns everything acknowledged. */
  stop(): Promise<LoadResult>;
  /** Resolves when the generator has run out of batches (workload mode) or was stopped. */
  finished: Promise<LoadResult>;
  /** Throws when the generator process died: a wait on its progress would otherwise only time out. */
  assertAlive(): void;
  /** One line for failure messages. */
  describe(): string;
}

const EMPTY: LoadStats = { requests: 0, byStatus: {}, missingRetryAfter: 0, networkErrors: 0, ackedSpans: 0, latenciesMs: [] };

export function startLoad(spec: LoadSpec): LoadProcess {
  const child = fork(path.join(ROOT, "tests/reliability/harness/load-process.ts"), [JSON.stringify(spec)], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let latest = EMPTY;
  let died: Error | undefined;
  const timeline: TimelineEntry[] = [];
  const finished = new Promise<LoadResult>((resolve, reject) => {
    child.on("message", (m: ChildMessage) => {
      if (m.type === "progress") {
        latest = m.stats;
        timeline.push(...m.timeline);
      } else if (m.type === "done") {
        latest = m.stats;
        resolve({ stats: m.stats, acked: new Map(m.acked) });
      }
    });
    // "close", not "exit": exit can come before the last (large) IPC message has been read.
    child.on("close", (code) => reject(new Error(`load generator exited (${code}) before reporting`)));
  });
  // Callers that never await `finished` (they call stop()) must not crash on an unhandled rejection.
  finished.catch((error: Error) => (died = error));
  const tell = (m: ParentMessage) => {
    if (child.connected) child.send(m);
  };
  return {
    stats: () => latest,
    timeline,
    setRate: (rate) => tell({ type: "rate", rate }),
    setUrls: (urls) => tell({ type: "urls", urls }),
    countSince: (since, status) => timeline.filter((t) => t.at > since && t.status === status).length,
    stop() {
      tell({ type: "stop" });
      return finished;
    },
    finished,
    assertAlive() {
      if (died) throw died;
    },
    describe: () => `load: ${JSON.stringify({ ...latest, latenciesMs: undefined })}, last answers ${JSON.stringify(timeline.slice(-10).map((t) => t.status))}`,
  };
}

/** Sustainable request rate: closed loop with `concurrency` senders for `ms`, counting 200s per second. */
export async function measureMaxRate(urls: string[], apiKey: string, ms: number, concurrency = 8): Promise<{ rps: number; spansPerSecond: number }> {
  const load = startLoad({ urls, apiKey, concurrency, timeoutMs: 30_000 });
  // Counted from one second after the first answer: until then the server warms up (JIT, connections),
  // which on a machine busy with other tests can take seconds.
  const deadline = Date.now() + 60_000;
  while (!load.timeline.some((t) => t.status === 200)) {
    if (Date.now() > deadline) throw new Error(`no answer within 60 s; ${load.describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const from = load.timeline.find((t) => t.status === 200)!.at + 1000;
  await new Promise((r) => setTimeout(r, from + ms - Date.now()));
  const until = Date.now();
  const { stats } = await load.stop();
  const counted = load.timeline.filter((t) => t.at > from && t.at <= until && t.status === 200).length;
  const rps = counted / ((until - from) / 1000);
  return { rps, spansPerSecond: (rps * stats.ackedSpans) / Math.max(1, stats.byStatus["200"] ?? 1) };
}

/** True when the last `n` answers were all 200. */
export function recovered(timeline: TimelineEntry[], n: number, since: number): boolean {
  const recent = timeline.filter((t) => t.at > since).slice(-n);
  return recent.length === n && recent.every((t) => t.status === 200);
}
