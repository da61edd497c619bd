import { describe, expect, it } from "vitest";
import { columnList, containsPattern, float8, prefixPattern, greatest, ident, ilike, inList, join, least, param, perDialect, verbatim, render, selectList, slot, sql, valueRows } from "./sql";
import { chunks, dbTime, normalizeRow, toDate } from "./sql-values";

describe("sql template", () => {
  it("binds values as ? on SQLite and $n on PostgreSQL, fragments spliced in order", () => {
    const where = join([sql`"a" = ${1}`, sql`"b" = ${"x"}`], " AND ");
    const q = sql`SELECT ${columnList(["a", "b"], "t")} FROM t WHERE ${where} LIMIT ${10}`;
    expect(render(q, "sqlite")).toEqual({ text: 'SELECT t."a", t."b" FROM t WHERE "a" = ? AND "b" = ? LIMIT ?', values: [1, "x", 10] });
    expect(render(q, "postgresql")).toEqual({ text: 'SELECT t."a", t."b" FROM t WHERE "a" = $1 AND "b" = $2 LIMIT $3', values: [1, "x", 10] });
  });

  it("binds times as Prisma stores them, cast on PostgreSQL; bigint exact; booleans as integers on SQLite", () => {
    const at = new Date("2024-05-01T10:00:00.123Z");
    const q = sql`${at} ${10n ** 18n} ${true} ${undefined}`;
    expect(render(q, "sqlite")).toEqual({ text: "? ? ? ?", values: ["2024-05-01T10:00:00.123+00:00", 10n ** 18n, 1, null] });
    expect(render(q, "postgresql")).toEqual({ text: "$1::timestamp $2 $3 $4", values: ["2024-05-01T10:00:00.123", "1000000000000000000", true, null] });
  });

  it("casts typed params and slots on PostgreSQL only", () => {
    const q = sql`${param([1, 2], "int8[]")} ${slot("text")} ${slot()}`;
    expect(render(q, "postgresql").text).toBe("$1::int8[] $2::text $3");
    expect(render(q, "sqlite")).toEqual({ text: "? ? ?", values: [[1, 2], null, null] });
  });

  it("renders the dialect helpers", () => {
    const q = sql`${least(ident("a"), verbatim("1"))} ${greatest(ident("a"), ident("b", "t"))} ${float8(sql`s.seq`)} ${ilike(ident("name"), containsPattern("50%_a\\"))}`;
    expect(render(q, "sqlite").text).toBe(`MIN("a", 1) MAX("a", t."b") s.seq "name" LIKE ? ESCAPE '\\'`);
    expect(render(q, "postgresql").text).toBe(`LEAST("a", 1) GREATEST("a", t."b") (s.seq)::float8 "name" ILIKE $1 ESCAPE '\\'`);
    expect(render(q, "sqlite").values).toEqual(["%50\\%\\_a\\\\%"]);
    expect(prefixPattern("s_1%")).toBe("s\\_1\\%%");
    expect(render(perDialect({ sqlite: sql`json_each(${"[]"})`, postgresql: sql`jsonb_array_elements(${"[]"})` }), "postgresql").text).toBe("jsonb_array_elements($1)");
  });

  it("renders IN-lists and multi-row VALUES", () => {
    const q = sql`"id" ${inList(["a", "b"], "text")} AND x IN (VALUES ${valueRows([[1, 2], [3, 4]])})`;
    expect(render(q, "sqlite")).toEqual({ text: '"id" IN (?, ?) AND x IN (VALUES (?, ?), (?, ?))', values: ["a", "b", 1, 2, 3, 4] });
    expect(render(q, "postgresql")).toEqual({ text: '"id" = ANY($1::text[]) AND x IN (VALUES ($2, $3), ($4, $5))', values: [["a", "b"], 1, 2, 3, 4] });
  });

  it("selectList generates the row positions from the list", () => {
    const { select, index } = selectList([["seq", sql`s.seq`], ["name", ident("name", "s")]] as const);
    expect(render(select, "sqlite").text).toBe('s.seq, s."name"');
    expect(index).toEqual({ seq: 0, name: 1 });
  });
});

describe("sql values", () => {
  it("formats and reads times", () => {
    const at = new Date("2024-05-01T10:00:00.123Z");
    expect(toDate(dbTime("sqlite", at))).toEqual(at);
    expect(toDate(dbTime("postgresql", at))).toEqual(at);
    expect(toDate(null)).toBeNull();
  });

  it("normalises integers: exact numbers, else decimal strings", () => {
    expect(normalizeRow({ a: 5n, b: 2n ** 60n, c: "x" })).toEqual({ a: 5, b: String(2n ** 60n), c: "x" });
  });

  it("chunks lists", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
