import { describe, expect, it } from "vitest";
import { chainedFieldsOf, GENESIS_HASH, hashEntry, type ChainedEntry, type ChainedFields, type JsonValue } from "./audit-hash";
import { verifyChain, type ChainBounds, type ChainProblemKind } from "./verify-chain";

/** A valid chain of `count` entries after `anchor`; entry `pruneAt` (if any) records a prune through `anchor`. */
function chain(count: number, anchor = { seq: 0, hash: GENESIS_HASH }, pruneAt?: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prevHash = anchor.hash;
  for (let i = 1; i <= count; i++) {
    const seq = anchor.seq + i;
    const prune = seq === pruneAt;
    const details: JsonValue = prune ? { throughSeq: anchor.seq, anchorHash: anchor.hash, count: anchor.seq } : { from: "open" };
    const fields: ChainedFields = {
      seq, at: new Date(Date.UTC(2026, 11, 1, 0, 0, seq)).toISOString(), actor: { type: "user" as const, id: "u1", name: "alice@example.com" },
      action: prune ? "audit.prune" : "alert.acknowledge", target: prune ? null : { type: "alert", id: `a${seq}` }, projectId: prune ? null : "p1",
      details, ip: "10.0.0.1", userAgent: null, prevHash,
    };
    const hash = hashEntry(fields);
    entries.push({ ...fields, hash });
    prevHash = hash;
  }
  return entries;
}

const boundsOf = (entries: ChainedEntry[], anchor = { seq: 0, hash: GENESIS_HASH }): ChainBounds => ({
  anchorSeq: anchor.seq, anchorHash: anchor.hash, headSeq: entries.at(-1)?.seq ?? anchor.seq, headHash: entries.at(-1)?.hash ?? anchor.hash,
});

const ANCHOR = { seq: 100, hash: "a".repeat(64) };

interface Case {
  name: string;
  build(): { bounds: ChainBounds; entries: ChainedEntry[] };
  expected: { ok: true; count: number } | { kind: ChainProblemKind; seq: number; message?: RegExp };
}

const cases: Case[] = [
  { name: "an intact chain", build: () => ({ bounds: boundsOf(chain(5)), entries: chain(5) }), expected: { ok: true, count: 5 } },
  { name: "an empty chain", build: () => ({ bounds: boundsOf([]), entries: [] }), expected: { ok: true, count: 0 } },
  {
    name: "an edited detail",
    build: () => {
      const entries = chain(5);
      entries[2] = { ...entries[2]!, details: { from: "acknowledged" } };
      return { bounds: boundsOf(chain(5)), entries };
    },
    expected: { kind: "edited", seq: 3, message: /entry 3 was edited/ },
  },
  {
    name: "an edited actor",
    build: () => {
      const entries = chain(5);
      entries[0] = { ...entries[0]!, actor: { type: "user", id: "u2", name: "bob@example.com" } };
      return { bounds: boundsOf(entries), entries };
    },
    expected: { kind: "edited", seq: 1 },
  },
  {
    name: "a deleted entry in the middle",
    build: () => {
      const entries = chain(5);
      return { bounds: boundsOf(entries), entries: entries.filter((e) => e.seq !== 3) };
    },
    expected: { kind: "missing", seq: 4, message: /entry 3 is missing before entry 4/ },
  },
  {
    name: "deleted first entries",
    build: () => {
      const entries = chain(5);
      return { bounds: boundsOf(entries), entries: entries.slice(2) };
    },
    expected: { kind: "missing", seq: 3, message: /entries 1–2 are missing/ },
  },
  {
    name: "a deleted last entry (the head remembers it)",
    build: () => {
      const entries = chain(5);
      return { bounds: boundsOf(entries), entries: entries.slice(0, 4) };
    },
    expected: { kind: "truncated", seq: 5, message: /entry 5 is missing at the end/ },
  },
  {
    name: "a deleted entry whose seq was closed up (renumbered and re-hashed after it)",
    build: () => {
      const entries = chain(5);
      const rest = entries.slice(3).map((e) => ({ ...e, seq: e.seq - 1 }));
      for (const e of rest) e.hash = hashEntry(chainedFieldsOf(e));
      const tampered = [...entries.slice(0, 2), ...rest];
      return { bounds: boundsOf(tampered), entries: tampered };
    },
    expected: { kind: "unlinked", seq: 3, message: /does not chain to entry 2/ },
  },
  {
    name: "two entries whose seq values were swapped",
    build: () => {
      const entries = chain(5);
      const swapped = entries.map((e) => (e.seq === 2 ? { ...entries[2]!, seq: 2 } : e.seq === 3 ? { ...entries[1]!, seq: 3 } : e));
      return { bounds: boundsOf(entries), entries: swapped };
    },
    expected: { kind: "reordered", seq: 2, message: /entry 2 is entry 3 moved out of place/ },
  },
  {
    name: "lines of an export out of order",
    build: () => {
      const entries = chain(5);
      return { bounds: { ...boundsOf(entries), headSeq: null, headHash: null }, entries: [entries[0]!, entries[1]!, entries[2]!, entries[1]!, entries[3]!] };
    },
    expected: { kind: "reordered", seq: 2, message: /entry 2 comes after entry 3/ },
  },
  {
    name: "a pruned chain starting at its anchor, with the prune recorded",
    build: () => {
      const entries = chain(5, ANCHOR, 103);
      return { bounds: boundsOf(entries, ANCHOR), entries };
    },
    expected: { ok: true, count: 5 },
  },
  {
    name: "a pruned chain with entries deleted after the anchor",
    build: () => {
      const entries = chain(5, ANCHOR, 103);
      return { bounds: boundsOf(entries, ANCHOR), entries: entries.slice(1) };
    },
    expected: { kind: "anchor", seq: 102, message: /entry 101 is missing after the retention anchor/ },
  },
  {
    name: "an anchor moved without an audit.prune entry",
    build: () => {
      const entries = chain(5, ANCHOR);
      return { bounds: boundsOf(entries, ANCHOR), entries };
    },
    expected: { kind: "anchor", seq: 100, message: /moved without an audit\.prune entry/ },
  },
  {
    name: "a chain that does not start at its anchor's hash",
    build: () => {
      const entries = chain(5, ANCHOR, 103);
      return { bounds: { ...boundsOf(entries, ANCHOR), anchorHash: "b".repeat(64) }, entries };
    },
    expected: { kind: "unlinked", seq: 101, message: /does not chain to the retention anchor/ },
  },
];

describe("verifyChain", () => {
  it.each(cases)("$name", ({ build, expected }) => {
    const { bounds, entries } = build();
    const result = verifyChain(bounds, entries);
    if ("ok" in expected) {
      expect(result).toMatchObject({ ok: true, count: expected.count });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatchObject({ kind: expected.kind, seq: expected.seq });
    if (expected.message) expect(result.problem.message).toMatch(expected.message);
  });

  it("names only the first problem", () => {
    const entries = chain(6);
    entries[1] = { ...entries[1]!, ip: "6.6.6.6" };
    const result = verifyChain(boundsOf(chain(6)), entries.filter((e) => e.seq !== 5));
    expect(result).toMatchObject({ ok: false, problem: { kind: "edited", seq: 2 } });
  });
});
