import { describe, expect, it } from "vitest";
import { SEQ_LIMIT_REFRESH_MS, SeqLimitCache, SharedSeqLimit, traceLockKey, traceLocksQuery } from "./seq-lock";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SeqLimitCache", () => {
  it("keeps its limit while reads stop short of it, then takes it again at most every SEQ_LIMIT_REFRESH_MS", async () => {
    const answers = [100, 250, 0, 300];
    let takes = 0;
    const cache = new SeqLimitCache(new SharedSeqLimit(async () => answers[takes++]!));

    expect(await cache.next()).toBe(100); // first call
    cache.read(true); // everything up to 100 read
    expect(await cache.next()).toBe(100); // but taken too recently to take again
    expect(takes).toBe(1);

    cache.read(false); // a full batch: more to read below 100
    await sleep(SEQ_LIMIT_REFRESH_MS + 20);
    expect(await cache.next()).toBe(100); // reused, however old
    expect(takes).toBe(1);

    cache.read(true);
    expect(await cache.next()).toBe(250);
    cache.read(true);
    await sleep(SEQ_LIMIT_REFRESH_MS + 20);
    expect(await cache.next()).toBe(250); // the take gave up (0): the older limit still holds
    cache.read(true);
    await sleep(SEQ_LIMIT_REFRESH_MS + 20);
    expect(await cache.next()).toBe(300);
    expect(takes).toBe(4);
  });
});

describe("SharedSeqLimit", () => {
  it("serves every partition of a process from one take per SEQ_LIMIT_REFRESH_MS", async () => {
    let takes = 0;
    const shared = new SharedSeqLimit(async () => (++takes) * 100);
    const partitions = Array.from({ length: 8 }, () => new SeqLimitCache(shared));

    for (const p of partitions) expect(await p.next()).toBe(100);
    for (const p of partitions) p.read(true);
    for (const p of partitions) expect(await p.next()).toBe(100);
    expect(takes).toBe(1);

    await sleep(SEQ_LIMIT_REFRESH_MS + 20);
    partitions[0]!.read(false); // behind: keeps its limit and does not ask
    expect(await partitions[0]!.next()).toBe(100);
    expect(takes).toBe(1);
    for (const p of partitions.slice(1)) expect(await p.next()).toBe(200);
    expect(takes).toBe(2);
  });

  it("makes callers that ask during a take wait for that take", async () => {
    let release!: (limit: number) => void;
    let takes = 0;
    const shared = new SharedSeqLimit(() => {
      takes++;
      return new Promise<number>((resolve) => (release = resolve));
    });
    const asked = [shared.fresh(), shared.fresh(), shared.fresh()];
    release(42);
    expect(await Promise.all(asked)).toEqual([42, 42, 42]);
    expect(takes).toBe(1);
  });

  it("never goes back to a lower limit, and a take that gave up (0) keeps the last one", async () => {
    const answers = [300, 0, 200, 400];
    const shared = new SharedSeqLimit(async () => answers.shift()!);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      seen.push(await shared.fresh());
      await sleep(SEQ_LIMIT_REFRESH_MS + 20);
    }
    expect(seen).toEqual([300, 300, 300, 400]);
  });
});

describe("trace locks", () => {
  it("locks each key once, in ascending order, whatever order the traces come in", () => {
    const ids = ["00000000000000000000000000000003", "ffffffffffffffffffffffffffffffff", "00000000000000000000000000000001", "aa000000000000000000000000000003"];
    expect(traceLockKey(ids[1]!)).toBe(-1);
    expect(traceLocksQuery(ids)).toContain("'{-1,1,3}'::int4[]");
    expect(traceLocksQuery([...ids].reverse())).toBe(traceLocksQuery(ids));
  });
});
