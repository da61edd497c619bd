import { describe, expect, it } from "vitest";
import { toJson } from "./route";

describe("toJson", () => {
  it.each([
    ["plain values", { a: 1, b: ["x", null] }, '{"a":1,"b":["x",null]}'],
    ["bigints, as strings", { seq: 12n, nested: [{ ns: 1_700_000_000_000_000_001n }] }, '{"seq":"12","nested":[{"ns":"1700000000000000001"}]}'],
    ["a toJSON method", { at: new Date(0) }, '{"at":"1970-01-01T00:00:00.000Z"}'],
  ])("writes %s", (_name, value, json) => {
    expect(toJson(value)).toBe(json);
  });

  it("still throws on a cycle", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toJson(cyclic)).toThrow(TypeError);
  });
});
