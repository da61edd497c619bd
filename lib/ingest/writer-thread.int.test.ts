// A writer thread groups the requests that queued up while it wrote into one transaction; a request whose
// rows the database refuses must fail alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace } from "@/tests/helpers/otlp-fixtures";
import { spanRowsOf } from "@/tests/helpers/span-rows";
import type { SpanRow } from "./span-row";
import { WriterThread, writerTargetOf } from "./writer-thread";

const rowsOf = (projectId: string) => spanRowsOf(projectId, agentTrace());

describe.each(PROVIDERS)("writer thread on %s", (provider) => {
  let t: TestDatabase;
  let thread: WriterThread;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    thread = new WriterThread(writerTargetOf(t.raw));
  });
  afterAll(async () => {
    await thread?.close();
    await t?.cleanup();
  });

  it("commits every request sent while it was busy, answers each with its own counts, and fails only the bad one", async () => {
    const project = await t.db.project.create({ data: { name: "writer-thread" } });
    const requests = Array.from({ length: 12 }, () => rowsOf(project.id));
    const bad: SpanRow[] = rowsOf(project.id).map((row) => ({ ...row, name: null as unknown as string }));
    const sent = [...requests.slice(0, 6), bad, ...requests.slice(6)];
    const outcomes = await Promise.allSettled(sent.map((rows) => thread.write([rows])));

    expect(outcomes.map((o) => o.status)).toEqual(sent.map((rows) => (rows === bad ? "rejected" : "fulfilled")));
    expect(String((outcomes[6] as PromiseRejectedResult).reason)).toMatch(/NOT NULL|not-null/);
    outcomes.forEach((o, i) => {
      if (o.status === "fulfilled") expect(o.value).toEqual([{ inserted: sent[i]!.length, duplicates: 0, agentUpdates: 0 }]);
    });
    const stored = await t.db.span.count({ where: { projectId: project.id } });
    expect(stored).toBe(requests.reduce((n, rows) => n + rows.length, 0));
  });

  it("answers a request sent again with duplicates, not new rows", async () => {
    const project = await t.db.project.create({ data: { name: "writer-thread-retry" } });
    const rows = rowsOf(project.id);
    const [first, again] = await Promise.all([thread.write([rows]), thread.write([rows])]);
    expect([first![0]!.inserted + again![0]!.inserted, first![0]!.duplicates + again![0]!.duplicates]).toEqual([rows.length, rows.length]);
    expect(await t.db.span.count({ where: { projectId: project.id } })).toBe(rows.length);
  });
});
