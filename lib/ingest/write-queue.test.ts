import { describe, expect, it } from "vitest";
import { collected } from "@/tests/helpers/collect-garbage";
import type { SpanRow } from "./span-row";
import { WriteQueue } from "./write-queue";
import type { WriteResult } from "./write-result";

const rows = (n: number, tag = "ok") => Array.from({ length: n }, () => ({ name: tag }) as SpanRow);
const result = (b: SpanRow[]): WriteResult => ({ inserted: b.length, duplicates: 0, agentUpdates: 0 });

describe("WriteQueue", () => {
  it("writes requests that arrive during a write together, each answered with its own result", async () => {
    const groups: number[][] = [];
    const queue = new WriteQueue(async (batches) => {
      groups.push(batches.map((b) => b.length));
      await new Promise((r) => setTimeout(r, 5));
      return batches.map(result);
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => queue.enqueue(rows(n))));
    expect(answers.map((a) => a.inserted)).toEqual([1, 2, 3, 4]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it("with two groups in flight, hands the writer the next group before the first one commits", async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const queue = new WriteQueue(
      async (batches) => {
        started.push(batches.map((b) => b.length).join("+"));
        await new Promise<void>((r) => release.push(r));
        return batches.map(result);
      },
      undefined,
      2,
    );
    const answers = Promise.all([1, 2, 3, 4].map((n) => queue.enqueue(rows(n))));
    expect(started).toEqual(["1", "2"]);
    release.shift()!();
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(["1", "2", "3+4"]);
    release.shift()!();
    release.shift()!();
    expect((await answers).map((a) => a.inserted)).toEqual([1, 2, 3, 4]);
  });

  it("caps a group by span count", async () => {
    const groups: number[][] = [];
    const queue = new WriteQueue((batches) => {
      groups.push(batches.map((b) => b.length));
      return batches.map(result);
    }, 10);
    const first = queue.enqueue(rows(1));
    await Promise.all([first, ...[6, 6, 3].map((n) => queue.enqueue(rows(n)))]);
    expect(groups).toEqual([[1], [6], [6, 3]]);
  });

  it("isolates a failing request so the others in its group still commit", async () => {
    const queue = new WriteQueue((batches) => {
      if (batches.some((b) => b[0]?.name === "bad")) throw new Error("constraint");
      return batches.map(result);
    });
    const blocker = queue.enqueue(rows(1));
    const outcomes = await Promise.allSettled([blocker, queue.enqueue(rows(2)), queue.enqueue(rows(1, "bad")), queue.enqueue(rows(3))]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[3] as PromiseFulfilledResult<WriteResult>).value.inserted).toBe(3);
  });

  it("fails a whole group at once when the database is busy, without retrying each request", async () => {
    let writes = 0;
    const queue = new WriteQueue(async (batches) => {
      writes += 1;
      if (writes === 1) {
        await new Promise((r) => setTimeout(r, 5));
        return batches.map(result);
      }
      throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => queue.enqueue(rows(n))));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected"]);
    expect(writes).toBe(2);
  });

  it("lets go of a lone request's rows while its commit is awaited, so they are not kept alive by the queue", async () => {
    let commit!: (results: WriteResult[]) => void;
    let count = 0;
    // Like the writer thread: takes the rows (here their count), then answers later without holding them.
    const queue = new WriteQueue((batches) => {
      count = batches[0]!.length;
      return new Promise<WriteResult[]>((resolve) => (commit = resolve));
    }, undefined, Number.POSITIVE_INFINITY);
    let sent: SpanRow[] | undefined = rows(50);
    const gone = new WeakRef(sent);
    const answer = queue.enqueue(sent);
    sent = undefined;
    expect(await collected(gone)).toBe(true);
    commit([{ inserted: count, duplicates: 0, agentUpdates: 0 }]);
    expect((await answer).inserted).toBe(50);
  });
});
