// Stock OpenTelemetry exporters (JSON, protobuf, protobuf+gzip) → real HTTP → the OTLP handler → real DB.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { InflightLimiter } from "../ingest/inflight-limiter";
import { DEFAULT_PRICES } from "../pricing/load-prices";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { expectStoredAsExported, exportAgentTrace, type ExporterKind } from "@/tests/helpers/otel-exporters";
import { serveHandler } from "@/tests/helpers/serve-handler";
import { handleTraceExport } from "./handle-export";
import { inProcessSpanWriter } from "@/lib/ingest/ingest-spans";

describe.each(PROVIDERS)("stock OpenTelemetry exporters on %s", (provider) => {
  let t: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let key: string;
  let projectId: string;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "exporters" } })).id;
    key = (await createApiKey(t.db, projectId, "exporters", ["ingest"])).key;
    const deps = { db: t.db, writer: inProcessSpanWriter(t.raw), prices: DEFAULT_PRICES, maxBodyBytes: 16 * 1024 * 1024, limiter: new InflightLimiter(8), now: Date.now };
    server = await serveHandler((req) => handleTraceExport(req, deps));
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it.each<ExporterKind>(["http-json", "proto", "proto-gzip"])("stores what %s exported, field by field", async (kind) => {
    const exported = await exportAgentTrace(server.url, key, kind, `svc-${kind}`);
    expect(exported).toHaveLength(3);
    await expectStoredAsExported(t.db, projectId, exported, `svc-${kind}`, expect);
  });
});
