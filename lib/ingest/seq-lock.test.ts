import { describe, expect, it } from "vitest";
import { SEQ_LIMIT_REFRESH_MS, SeqLimitCache, traceLockKey, traceLocksQuery } from "./seq-lock";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SeqLimitCache", () => {
  it("keeps its limit while reads stop short of it, then takes it again at most every SEQ_LIMIT_REFRESH_MS", async () => {
    const answers = [100, 250, 0, 300];
    let takes = 0;
    const cache = new SeqLimitCache(async () => answers[takes++]!);

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

describe("trace locks", () => {
  it("locks each key once, in ascending order, whatever order the traces come in", () => {
    const ids = ["00000000000000000000000000000003", "ffffffffffffffffffffffffffffffff", "00000000000000000000000000000001", "aa000000000000000000000000000003"];
    expect(traceLockKey(ids[1]!)).toBe(-1);
    expect(traceLocksQuery(ids)).toContain("'{-1,1,3}'::int4[]");
    expect(traceLocksQuery([...ids].reverse())).toBe(traceLocksQuery(ids));
  });
});
