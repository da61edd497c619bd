// The PostgreSQL write path builds its parameters itself (before its transaction starts): they must
// reach the server exactly as the values were.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PG_URL } from "@/tests/helpers/db";
import { pgConfigFromUrl } from "../db/open";
import { arrayLiteral, jsonArrayBytes } from "./write-postgres";

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client(pgConfigFromUrl(TEST_PG_URL));
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

describe("arrayLiteral on PostgreSQL", () => {
  it.each([
    ["text", ["plain", "", "NULL", 'say "hi"', "back\\slash", "a,b", "{braces}", " padded ", "line\nbreak", "ünïcødé 🙂", "'quote'"], null],
    ["text", ["a", null, "b"], null],
    ["int4", [0, -1, 2_147_483_647, null], null],
    ["int8", [0n, -9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n, null], (v: unknown) => (v === null ? null : BigInt(v as string))],
    ["float8", [0, -0.5, 1e-300, 123456.789, null], (v: unknown) => (v === null ? null : Number(v))],
    ["text", [], null],
  ] as const)("%s[] case %# arrives unchanged", async (type, values, parse) => {
    const { rows } = await client.query(`SELECT UNNEST($1::${type}[]) AS v`, [arrayLiteral(values)]);
    const back = rows.map((r: { v: unknown }) => (parse ? parse(r.v) : r.v));
    expect(back).toEqual(values);
  });
});

describe("jsonArrayBytes on PostgreSQL", () => {
  it("sends each row's JSON as one jsonb element, unicode and escapes included", async () => {
    const values = [{ text: "ünïcødé 🙂 日本", quote: 'say "hi"', slash: "back\\slash", nl: "line\nbreak" }, null, [1, 2.5, true], {}, "x".repeat(100_000)];
    const texts = values.map((v) => (v === null ? null : JSON.stringify(v)));
    const bytes = jsonArrayBytes(texts);
    expect(JSON.parse(bytes.toString("utf8"))).toEqual(values);
    const { rows } = await client.query("SELECT e FROM jsonb_array_elements(convert_from($1::bytea, 'UTF8')::jsonb) AS e", [bytes]);
    expect(rows.map((r: { e: unknown }) => r.e)).toEqual(values);
  });

  it("makes an empty array of no rows", () => {
    expect(jsonArrayBytes([]).toString()).toBe("[]");
  });
});
