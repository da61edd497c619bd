import { describe, expect, it } from "vitest";
import { canonicalJson, chainedFieldsOf, GENESIS_HASH, hashEntry, type ChainedFields } from "./audit-hash";

const FIELDS: ChainedFields = {
  seq: 1, at: "2026-12-07T10:00:00.000Z", actor: { type: "user", id: "u1", name: "alice@example.com" }, action: "key.create",
  target: { type: "apiKey", id: "k1" }, projectId: "p1", details: { name: "ci", scopes: "ingest" }, ip: "10.0.0.1", userAgent: "curl/8", prevHash: GENESIS_HASH,
};

describe("canonicalJson", () => {
  const cases: { name: string; value: unknown; expected: string }[] = [
    { name: "sorts object keys, recursively", value: { b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }, expected: '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}' },
    { name: "drops undefined members, as JSON does", value: { a: undefined, b: 2 }, expected: '{"b":2}' },
    { name: "keeps array order", value: [3, 1, 2], expected: "[3,1,2]" },
    { name: "escapes strings like JSON.stringify", value: 'quote " and \u2028 and é', expected: JSON.stringify('quote " and \u2028 and é') },
    { name: "writes numbers the shortest exact way", value: [0.1, 1e21, -0, 500], expected: "[0.1,1e+21,0,500]" },
    { name: "writes dates as ISO strings", value: new Date(Date.UTC(2026, 0, 2)), expected: '"2026-01-02T00:00:00.000Z"' },
    { name: "null and booleans", value: [null, true, false], expected: "[null,true,false]" },
  ];
  it.each(cases)("$name", ({ value, expected }) => expect(canonicalJson(value)).toBe(expected));

  it("is the same text whatever order the keys were written in", () => {
    expect(canonicalJson({ x: 1, y: { b: 2, a: 1 } })).toBe(canonicalJson({ y: { a: 1, b: 2 }, x: 1 }));
  });

  it("refuses values JSON cannot carry exactly", () => {
    expect(() => canonicalJson({ risk: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe("hashEntry", () => {
  it("is sha256 hex of the canonical JSON, prevHash included", () => {
    const hash = hashEntry(FIELDS);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEntry({ ...FIELDS })).toBe(hash);
  });

  const changes: { name: string; change: Partial<ChainedFields> }[] = [
    { name: "seq", change: { seq: 2 } },
    { name: "time", change: { at: "2026-12-07T10:00:00.001Z" } },
    { name: "actor", change: { actor: { type: "user", id: "u1", name: "mallory@example.com" } } },
    { name: "action", change: { action: "key.revoke" } },
    { name: "target", change: { target: null } },
    { name: "project", change: { projectId: "p2" } },
    { name: "a detail", change: { details: { name: "ci", scopes: "ingest,admin" } } },
    { name: "the address", change: { ip: "10.0.0.2" } },
    { name: "the user agent", change: { userAgent: null } },
    { name: "the previous hash", change: { prevHash: "1".repeat(64) } },
  ];
  it.each(changes)("changes when $name changes", ({ change }) => expect(hashEntry({ ...FIELDS, ...change })).not.toBe(hashEntry(FIELDS)));

  it("hashes an exported line (fields plus hash) back to its hash", () => {
    const line = JSON.parse(canonicalJson({ ...FIELDS, hash: hashEntry(FIELDS) })) as ChainedFields & { hash: string };
    expect(hashEntry(chainedFieldsOf(line))).toBe(line.hash);
  });
});
