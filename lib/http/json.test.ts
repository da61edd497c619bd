import { describe, expect, expectTypeOf, it } from "vitest";
import type { Jsonify, JsonResponseOf } from "./json";
import { toJson } from "./route";

// Type-level checks (tsc checks them; at run time they are no-ops), with toJson's output alongside.
describe("Jsonify", () => {
  it("turns Dates and bigints into strings, keeps JSON as it is", () => {
    expectTypeOf<Jsonify<{ at: Date; seq: bigint; n: number | null; tags: string[] }>>().toEqualTypeOf<{ at: string; seq: string; n: number | null; tags: string[] }>();
    expectTypeOf<Jsonify<{ at: Date | null }[]>>().toEqualTypeOf<{ at: string | null }[]>();
    type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
    expectTypeOf<Jsonify<{ details: Json }>>().toEqualTypeOf<{ details: Json }>();
  });

  it("makes properties that may be undefined optional and drops functions", () => {
    expectTypeOf<Jsonify<{ a: number | undefined; b?: string; f: () => void }>>().toEqualTypeOf<{ a?: number; b?: string }>();
    expectTypeOf<Jsonify<(number | undefined)[]>>().toEqualTypeOf<(number | null)[]>();
  });

  it("types what a route answers for an async builder, as toJson writes it", async () => {
    const build = async () => ({ items: [{ id: "a", createdAt: new Date(0), seq: 1n }], nextCursor: null as string | null });
    expectTypeOf<JsonResponseOf<typeof build>>().toEqualTypeOf<{ items: { id: string; createdAt: string; seq: string }[]; nextCursor: string | null }>();
    const expected: JsonResponseOf<typeof build> = { items: [{ id: "a", createdAt: "1970-01-01T00:00:00.000Z", seq: "1" }], nextCursor: null };
    expect(JSON.parse(toJson(await build()))).toEqual(expected);
  });
});
