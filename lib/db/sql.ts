// One way to write SQL for SQLite and PostgreSQL: a tagged template whose values become bound
// parameters, rendered as `?` for SQLite or `$n` (with the cast a value needs) for PostgreSQL.
//
//   sql`SELECT id FROM anomalies WHERE "projectId" = ${projectId} AND "createdAt" >= ${since}`
//
// Values of type Sql (fragments) are spliced in, so statements compose; a Date is bound as the text
// Prisma stores (dbTime) and cast to timestamp on PostgreSQL. Where the dialects truly differ, a
// statement says so locally with perDialect(); the helpers below cover the usual differences.
import { dbTime, type Dialect } from "./sql-values";

export type { Dialect } from "./sql-values";

/** PostgreSQL type names used in casts (also the column types of lib/db/columns.ts). */
export type PgType = "text" | "int4" | "int8" | "float8" | "jsonb" | "timestamp" | "bool" | "bytea";

export class Sql {
  constructor(readonly strings: readonly string[], readonly values: readonly unknown[]) {}
}

/** A bound value with an explicit PostgreSQL cast; `slot` ones are bound later by a prepared statement's caller. */
class Param {
  constructor(readonly value: unknown, readonly pgType: string | null, readonly slot = false) {}
}

type Fragment = Sql | (() => Sql);

class PerDialect {
  constructor(readonly sqlite: Fragment, readonly postgresql: Fragment) {}
}

/** Rows of values, each bound as one parameter: `(?, ?), (?, ?)` (multi-row VALUES without a fragment per row). */
class ValueRows {
  constructor(readonly rows: readonly (readonly unknown[])[]) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Verbatim text: only for text this code wrote (identifiers, keywords, integers it computed). */
export function verbatim(text: string): Sql {
  return new Sql([text], []);
}

export const empty = verbatim("");

/** A quoted identifier, optionally qualified by a table alias: ident("startNs", "s") → s."startNs". */
export function ident(name: string, alias?: string): Sql {
  return verbatim(alias ? `${alias}."${name}"` : `"${name}"`);
}

/** A column-name list: "a", "b" (or s."a", s."b"). */
export function columnList(columns: readonly string[], alias?: string): Sql {
  return verbatim(columns.map((c) => (alias ? `${alias}."${c}"` : `"${c}"`)).join(", "));
}

export function join(fragments: readonly Sql[], separator = ", "): Sql {
  if (fragments.length === 0) return empty;
  return new Sql(["", ...fragments.slice(1).map(() => separator), ""], fragments);
}

/** A value cast on PostgreSQL (where the context does not give the parameter its type). */
export function param(value: unknown, pgType: PgType | `${PgType}[]`): Param {
  return new Param(value, pgType);
}

/** A placeholder for a statement prepared once: the caller binds its value at each run, in text order. */
export function slot(pgType: PgType | `${PgType}[]` | null = null): Param {
  return new Param(undefined, pgType, true);
}

/**
 * The one place a statement differs between the databases; say why next to it. A function is called
 * only when rendering for its database (a fragment costly to build, e.g. from many rows).
 */
export function perDialect(fragments: { sqlite: Fragment; postgresql: Fragment }): Sql {
  return new Sql(["", ""], [new PerDialect(fragments.sqlite, fragments.postgresql)]);
}

export function valueRows(rows: readonly (readonly unknown[])[]): Sql {
  return new Sql(["", ""], [new ValueRows(rows)]);
}

// SQLite's two-argument MIN/MAX are scalar functions, like PostgreSQL's LEAST/GREATEST.
export const least = (a: Sql, b: Sql): Sql => sql`${perDialect({ sqlite: sql`MIN`, postgresql: sql`LEAST` })}(${a}, ${b})`;
export const greatest = (a: Sql, b: Sql): Sql => sql`${perDialect({ sqlite: sql`MAX`, postgresql: sql`GREATEST` })}(${a}, ${b})`;

/** Case-insensitive LIKE with `\` as escape (SQLite's LIKE already ignores ASCII case). */
export function ilike(expression: Sql, pattern: string): Sql {
  return sql`${expression} ${perDialect({ sqlite: sql`LIKE`, postgresql: sql`ILIKE` })} ${pattern} ESCAPE '\\'`;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The LIKE pattern for "contains `text`", its own %, _ and \ escaped. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** The LIKE pattern for "starts with `text`", its own %, _ and \ escaped. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

/** `IN (?, ?, …)` on SQLite, `= ANY($n::type[])` (one parameter) on PostgreSQL. Large lists: chunk them (chunks()). */
export function inList(values: readonly unknown[], pgType: PgType): Sql {
  return sql`${perDialect({ sqlite: sql`IN ${valueRows([values])}`, postgresql: sql`= ANY(${param(values, `${pgType}[]`)})` })}`;
}

/** A number JavaScript reads without BigInt: the raw PostgreSQL pool parses int8 as BigInt, SQLite returns numbers. */
export function float8(expression: Sql): Sql {
  return sql`${perDialect({ sqlite: expression, postgresql: sql`(${expression})::float8` })}`;
}

export interface Rendered {
  text: string;
  /** Bound values in placeholder order (null for slots). */
  values: unknown[];
}

export function render(query: Sql, dialect: Dialect): Rendered {
  const out: Rendered = { text: "", values: [] };
  append(query, dialect, out);
  return out;
}

function append(query: Sql, dialect: Dialect, out: Rendered): void {
  const { strings, values } = query;
  for (let i = 0; i < strings.length; i++) {
    out.text += strings[i];
    if (i < values.length) appendValue(values[i], dialect, out);
  }
}

function appendValue(value: unknown, dialect: Dialect, out: Rendered): void {
  if (value instanceof Sql) return append(value, dialect, out);
  if (value instanceof PerDialect) {
    const fragment = value[dialect];
    return append(typeof fragment === "function" ? fragment() : fragment, dialect, out);
  }
  if (value instanceof ValueRows) return appendRows(value.rows, dialect, out);
  if (value instanceof Param) return bind(value.slot ? undefined : value.value, value.pgType, dialect, out);
  bind(value, value instanceof Date ? "timestamp" : null, dialect, out);
}

function appendRows(rows: ValueRows["rows"], dialect: Dialect, out: Rendered): void {
  for (let r = 0; r < rows.length; r++) {
    out.text += r === 0 ? "(" : ", (";
    const row = rows[r]!;
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out.text += ", ";
      appendValue(row[i], dialect, out);
    }
    out.text += ")";
  }
}

function bind(value: unknown, pgType: string | null, dialect: Dialect, out: Rendered): void {
  out.values.push(driverValue(value, dialect));
  if (dialect === "sqlite") out.text += "?";
  else out.text += pgType ? `$${out.values.length}::${pgType}` : `$${out.values.length}`;
}

/** A value as the driver binds it: times as Prisma stores them, no booleans on SQLite, exact int8 on PostgreSQL. */
export function driverValue(value: unknown, dialect: Dialect): unknown {
  if (value instanceof Date) return dbTime(dialect, value);
  if (value === undefined) return null;
  if (typeof value === "boolean" && dialect === "sqlite") return value ? 1 : 0;
  if (typeof value === "bigint" && dialect === "postgresql") return value.toString();
  return value;
}

/** Names and their select expressions; positions of the row arrays are generated from the same list. */
export function selectList<const K extends string>(entries: ReadonlyArray<readonly [K, Sql]>): { select: Sql; index: Readonly<Record<K, number>> } {
  return {
    select: join(entries.map(([, expression]) => expression)),
    index: Object.fromEntries(entries.map(([name], i) => [name, i])) as Record<K, number>,
  };
}
