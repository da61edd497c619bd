// Baseline: the raw-driver insert rate of the same span rows (100-row transactions, no HTTP, no decoding,
// no trace totals or rollups) — what the database alone can do on this machine.
import type { RawDb } from "@/lib/db/open";
import { toSpanRows, type SpanRow } from "@/lib/ingest/span-row";
import { SPANS } from "@/lib/db/columns";
import { columnList, render, slot, sql, valueRows } from "@/lib/db/sql";
import { INSERT_SPANS, spanParams } from "@/lib/ingest/write-postgres";
import { decodeTraceRequest } from "@/lib/otlp/decode";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { buildTemplate, jsonBody } from "./ingest-batches";

export async function rawInsertRate(raw: RawDb, projectId: string, batches: number): Promise<{ spansPerSec: number; cpuMsPerBatch: number }> {
  const templates = Array.from({ length: 8 }, () => buildTemplate(BigInt(Date.now()) * 1_000_000n));
  const rows: SpanRow[][] = [];
  for (let i = 0; i < batches; i++) {
    // Batches 10 ms apart, like spans arriving over time (the time index then grows at its end).
    const body = jsonBody(templates[i % templates.length]!, 0x70000000 + i, BigInt(i) * 10_000_000n);
    rows.push(toSpanRows(projectId, decodeTraceRequest(body, "json").spans, DEFAULT_PRICES, Date.now()));
  }
  const total = rows.reduce((n, b) => n + b.length, 0);
  const cpu = process.cpuUsage();
  const start = performance.now();
  if (raw.provider === "sqlite") {
    const insert = raw.sqlite.prepare(render(sql`INSERT INTO spans (${columnList(SPANS.columns)}) VALUES ${valueRows([SPANS.columns.map(() => slot())])}`, "sqlite").text);
    const tx = raw.sqlite.transaction((batch: SpanRow[]) => {
      for (const row of batch) insert.run(SPANS.columns.map((c) => row[c]));
    });
    for (const batch of rows) tx.immediate(batch);
  } else {
    const client = await raw.pool.connect();
    try {
      for (const batch of rows) {
        await client.query("BEGIN");
        await client.query(INSERT_SPANS, spanParams(batch));
        await client.query("COMMIT");
      }
    } finally {
      client.release();
    }
  }
  const used = process.cpuUsage(cpu);
  return { spansPerSec: total / ((performance.now() - start) / 1000), cpuMsPerBatch: (used.user + used.system) / 1000 / batches };
}
