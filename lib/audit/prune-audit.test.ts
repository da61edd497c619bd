import { describe, expect, it } from "vitest";
import { firstKept } from "./prune-audit";

const at = (day: number) => new Date(Date.UTC(2026, 11, day));

describe("firstKept", () => {
  const cases: { name: string; times: Date[]; expected: number }[] = [
    { name: "nothing old", times: [at(5), at(6)], expected: 0 },
    { name: "the old prefix", times: [at(1), at(2), at(5), at(6)], expected: 2 },
    { name: "everything old", times: [at(1), at(2)], expected: 2 },
    { name: "stops at the first recent entry even if an older one follows (the chain is pruned from its start only)", times: [at(1), at(5), at(2)], expected: 1 },
    { name: "an empty batch", times: [], expected: 0 },
  ];
  it.each(cases)("$name", ({ times, expected }) => expect(firstKept(times, at(4))).toBe(expected));
});
