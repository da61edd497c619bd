// Writes synthetic agent runs through the real ingestion path; shared by `npm run seed` and bench/query.ts.
import type { RawDb } from "@/lib/db";
import { inProcessSpanWriter, ingestSpans } from "@/lib/ingest/ingest-spans";
import type { DecodedSpan } from "@/lib/otlp/types";
import { getPriceTable } from "@/lib/pricing/load-prices";
import { PROFILES, generateRun, pickIncident, rng } from "./seed-data";
import { sessionPlanner } from "./seed-sessions";

export interface SeedOptions {
  raw: RawDb;
  projectId: string;
  spans: number;
  endMs: number;
  hours: number;
  seed: number;
  batchSize?: number;
  onProgress?: (written: number) => void;
}

export async function seedSpans(options: SeedOptions): Promise<number> {
  const { raw, projectId, spans: target, endMs, hours, seed, batchSize = 5000 } = options;
  const rand = rng(seed);
  const prices = getPriceTable();
  const writer = inProcessSpanWriter(raw);
  const startMs = endMs - hours * 3600_000;
  const sample = rng(1);
  const avgSpansPerRun = Array.from({ length: 300 }, () => generateRun({ profile: PROFILES[Math.floor(sample() * PROFILES.length)]!, startMs: 0, rand: sample }).length).reduce((a, b) => a + b, 0) / 300;
  // Runs spread evenly over the window, in time order, as a live system would receive them.
  const stepMs = (endMs - startMs) / Math.ceil(target / avgSpansPerRun);
  let written = 0;
  let batch: DecodedSpan[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await ingestSpans(batch, { writer, projectId, prices, receivedMs: Date.now() });
    written += batch.length;
    batch = [];
    options.onProgress?.(written);
  };
  const nextRun = sessionPlanner(PROFILES, rng(seed + 1));
  for (let i = 0; written + batch.length < target; i++) {
    const { profile, session } = nextRun();
    batch.push(...generateRun({ profile, session, startMs: Math.min(endMs - 60_000, startMs + i * stepMs + rand() * stepMs * 0.5), rand, incident: pickIncident(rand) }));
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return written;
}
