// Retention and the audit trail on both databases: a pass with project retention but no audit retention
// keeps every entry, however old; with ARGUS_AUDIT_RETENTION_DAYS it prunes the old ones in batches, the
// chain still verifies from its anchor, and a deletion after the anchor is still caught.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "@/lib/audit/audit-actions";
import { appendAudit, verifyStoredChain } from "@/lib/audit/audit-store";
import { sealPending } from "@/lib/audit/seal-audit";
import { executorFor } from "@/lib/db/executor";
import { sql } from "@/lib/db/sql";
import { parseEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { DAY_MS } from "@/lib/retention/cutoff";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { runRetentionPass } from "@/workers/retention";

const NOW = Date.now();

describe.each(PROVIDERS)("audit retention on %s", (provider) => {
  let t: TestDatabase;
  let projectId: string;
  const pass = (extra: Record<string, string> = {}) =>
    runRetentionPass({ db: t.db, env: parseEnv({ DATABASE_URL: t.databaseUrl, ARGUS_RETENTION_PAUSE_MS: "0", ARGUS_RETENTION_BATCH: "2", ...extra }), log, signal: new AbortController().signal }, NOW);

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "short-lived", retentionDays: 1 } })).id;
    // Five entries from 40 days ago, three from today.
    for (const [i, ageDays] of [40, 40, 40, 40, 40, 0, 0, 0].entries()) {
      await t.db.$transaction((tx) => appendAudit(tx, SYSTEM_CONTEXT, { action: "channel.update", projectId, details: { i } }, new Date(NOW - ageDays * DAY_MS - 1000)));
    }
    await sealPending(t.db);
  });
  afterAll(async () => t?.cleanup());

  it("keeps every audit entry when only project retention is set", async () => {
    expect(await t.db.auditEntry.count({ where: { seq: null } })).toBe(0);
    const result = await pass();
    expect(result.auditEntries).toBe(0);
    expect(await t.db.auditEntry.count()).toBe(8);
  });

  it("prunes entries older than ARGUS_AUDIT_RETENTION_DAYS, records each batch, and the chain still verifies", async () => {
    const result = await pass({ ARGUS_AUDIT_RETENTION_DAYS: "30" });
    expect(result.auditEntries).toBe(5);
    const left = await t.db.auditEntry.findMany({ orderBy: { seq: "asc" } });
    // Batches of 2: three prunes (2 + 2 + 1), each recorded by an audit.prune entry after the kept ones.
    expect(left.map((e) => [Number(e.seq), e.action])).toEqual([
      [6, "channel.update"], [7, "channel.update"], [8, "channel.update"], [9, "audit.prune"], [10, "audit.prune"], [11, "audit.prune"],
    ]);
    expect(JSON.parse(left.at(-1)!.details)).toMatchObject({ throughSeq: 5, count: 1 });
    expect(await t.db.auditChain.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ anchorSeq: 5n, seq: 11n });
    expect(await verifyStoredChain(t.db, provider)).toMatchObject({ ok: true, count: 6, firstSeq: 6, lastSeq: 11 });
    expect((await pass({ ARGUS_AUDIT_RETENTION_DAYS: "30" })).auditEntries).toBe(0);
  });

  it("still catches a deletion right after the anchor, and an anchor moved by hand", async () => {
    const ex = executorFor(t.raw);
    await ex.run(sql`DELETE FROM audit_entries WHERE seq = ${6}`);
    expect(await verifyStoredChain(t.db, provider)).toMatchObject({ ok: false, problem: { kind: "anchor", seq: 7 } });
    const six = await t.db.auditEntry.findMany({ where: { seq: 7 } });
    await ex.run(sql`UPDATE audit_chain SET "anchorSeq" = ${6}, "anchorHash" = ${six[0]!.prevHash} WHERE id = ${1}`);
    expect(await verifyStoredChain(t.db, provider)).toMatchObject({ ok: false, problem: { kind: "anchor", seq: 6, message: expect.stringContaining("without an audit.prune entry") } });
  });

  it("does not prune away a tampered stretch: the pass stops and leaves the evidence", async () => {
    const fresh = await createTestDatabase(provider);
    try {
      for (let i = 0; i < 3; i++) await fresh.db.$transaction((tx) => appendAudit(tx, SYSTEM_CONTEXT, { action: "key.revoke", details: { i } }, new Date(NOW - 40 * DAY_MS)));
      await sealPending(fresh.db);
      await executorFor(fresh.raw).run(sql`UPDATE audit_entries SET "details" = ${'{"i":99}'} WHERE seq = ${2}`);
      const env = parseEnv({ DATABASE_URL: fresh.databaseUrl, ARGUS_RETENTION_PAUSE_MS: "0", ARGUS_AUDIT_RETENTION_DAYS: "30" });
      const result = await runRetentionPass({ db: fresh.db, env, log, signal: new AbortController().signal }, NOW);
      expect(result.auditEntries).toBe(0);
      expect((await fresh.db.auditEntry.findMany({ orderBy: { seq: "asc" } })).map((e) => Number(e.seq))).toEqual([1, 2, 3]);
      expect(await verifyStoredChain(fresh.db, provider)).toMatchObject({ ok: false, problem: { kind: "edited", seq: 2 } });
    } finally {
      await fresh.cleanup();
    }
  });
});
