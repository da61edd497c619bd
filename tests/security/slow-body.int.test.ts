// Issue 17, finding 3: 16 connections trickling one byte every 2 s with project A's key held every
// in-flight slot, and every other project got 429. Reproduced first with the old behaviour (no body
// deadline, no minimum rate, no per-key bound), then with the defaults: project B's requests all
// succeed with their p99 latency unaffected, and the slow clients get 408 (or 429) and lose their slots.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, jsonRequest } from "@/tests/helpers/otlp-fixtures";
import { startServer, type TestServer } from "@/tests/helpers/server";

const SLOW_CLIENTS = 16;

interface SlowClient {
  status: Promise<number | null>;
  stop(): void;
}

/** Sends the headers of a 100 kB body, then one byte every 2 s; resolves with the status the server answers. */
function slowClient(url: string, key: string): SlowClient {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let timer: NodeJS.Timeout | undefined;
  const status = new Promise<number | null>((resolve) => {
    socket.on("connect", () => {
      socket.write(`POST /v1/traces HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
      timer = setInterval(() => socket.write(" "), 2_000);
    });
    socket.on("data", (chunk: Buffer) => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString())?.[1] ?? 0)));
    socket.on("error", () => resolve(null));
    socket.on("close", () => resolve(null));
  });
  return { status, stop: () => (clearInterval(timer), socket.destroy()) };
}

function p99(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

/** Project B's exporter: small requests one after another for `ms`; latencies and statuses. */
async function victimTraffic(url: string, key: string, ms: number): Promise<{ latencies: number[]; statuses: number[] }> {
  const latencies: number[] = [];
  const statuses: number[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const body = JSON.stringify(jsonRequest(agentTrace(undefined, BigInt(Date.now()) * 1_000_000n)));
    const started = performance.now();
    const res = await fetch(`${url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body });
    await res.arrayBuffer();
    latencies.push(performance.now() - started);
    statuses.push(res.status);
    await new Promise((r) => setTimeout(r, 40));
  }
  return { latencies, statuses };
}

describe("finding 3: slow bodies cannot starve other projects' ingestion", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(async () => t?.cleanup());

  async function scenario(env: Record<string, string>) {
    const server: TestServer = await startServer({ databaseUrl: t.databaseUrl, env: { ARGUS_WORKERS: "none", ...env } });
    try {
      const a = await t.db.project.create({ data: { name: `attacker-${Date.now()}` } });
      const keyA = (await createApiKey(t.db, a.id, "attacker", ["ingest"])).key;
      const keyB = server.apiKey;
      await victimTraffic(server.url, keyB, 1_000); // warm-up
      const baseline = await victimTraffic(server.url, keyB, 3_000);
      const clients = Array.from({ length: SLOW_CLIENTS }, () => slowClient(server.url, keyA));
      await new Promise((r) => setTimeout(r, 500));
      const attacked = await victimTraffic(server.url, keyB, 7_000);
      const slowStatuses = await Promise.all(clients.map((c) => Promise.race([c.status, new Promise<"open">((r) => setTimeout(() => r("open"), 3_000))])));
      for (const c of clients) c.stop();
      return { baseline, attacked, slowStatuses };
    } finally {
      await server.stop();
    }
  }

  it("reproduction: without a deadline, a minimum rate or a per-key bound, B is refused while A trickles", async () => {
    const { attacked, slowStatuses } = await scenario({ ARGUS_BODY_MIN_BYTES_PER_SEC: "0", ARGUS_BODY_TIMEOUT_MS: "600000", ARGUS_MAX_INFLIGHT_INGEST_PER_KEY: "16" });
    const refused = attacked.statuses.filter((s) => s === 429).length;
    expect(refused / attacked.statuses.length).toBeGreaterThan(0.9);
    expect(slowStatuses.filter((s) => s === "open").length).toBe(SLOW_CLIENTS);
  }, 60_000);

  it("with the defaults: B's requests all succeed, its p99 is unaffected, the slow clients get 408/429", async () => {
    const { baseline, attacked, slowStatuses } = await scenario({});
    expect(attacked.statuses.every((s) => s === 200), `statuses under attack: ${[...new Set(attacked.statuses)].join(",")}`).toBe(true);
    const before = p99(baseline.latencies);
    const during = p99(attacked.latencies);
    console.log("slow-body: B p99 before", before.toFixed(1), "ms, during the attack", during.toFixed(1), "ms;", attacked.latencies.length, "requests; slow clients:", slowStatuses.join(","));
    expect(during).toBeLessThan(before * 3 + 100);
    // Per key: 12 of the 16 slots, so 4 clients are told 429 at once; the 12 admitted ones are cut off after the 5 s grace period.
    expect(slowStatuses.filter((s) => s === 429)).toHaveLength(4);
    expect(slowStatuses.filter((s) => s === 408)).toHaveLength(12);
  }, 60_000);
});
