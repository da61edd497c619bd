// Many rows in one statement. SQLite binds each value as its own parameter: a multi-row VALUES list.
// PostgreSQL binds one typed array per column and zips them with UNNEST: one parameter per column
// whatever the number of rows, so a statement's text (and its parse) does not grow with the batch.
import type { Table } from "./columns";
import { columnList, driverValue, join, param, perDialect, verbatim, slot, sql, valueRows, type Sql } from "./sql";

/** A row to insert, by column name. */
export type RowOf<C extends string> = Readonly<Record<C, unknown>>;

/**
 * `INSERT INTO table (every column) <rows>`: `VALUES (?, …), …` on SQLite, `SELECT … FROM UNNEST(…)` on
 * PostgreSQL. There a column with one value in every row (the batch's project) is bound once, not as an
 * array of copies; jsonb columns travel as text[] and are cast per row.
 */
export function insertInto<C extends string>(table: Table<C>, rows: readonly RowOf<C>[]): Sql {
  const source = perDialect({
    sqlite: () => sql`VALUES ${valueRows(rows.map((row) => table.columns.map((c) => row[c])))}`,
    postgresql: () => unnestRows(table, rows),
  });
  return sql`INSERT INTO ${verbatim(table.name)} (${columnList(table.columns)}) ${source}`;
}

function unnestRows<C extends string>(table: Table<C>, rows: readonly RowOf<C>[]): Sql {
  const arrays: Sql[] = [];
  const names: C[] = [];
  const select = table.columns.map((column) => {
    const type = table.types[column];
    const values = rows.map((row) => driverValue(row[column], "postgresql"));
    if (rows.length > 0 && values.every((v) => v === values[0])) return sql`${param(values[0], type)}`;
    names.push(column);
    arrays.push(sql`${param(values, type === "jsonb" ? "text[]" : `${type}[]`)}`);
    return type === "jsonb" ? sql`u."${verbatim(column)}"::jsonb` : sql`u."${verbatim(column)}"`;
  });
  if (names.length === 0) return sql`SELECT ${join(select)}`;
  return sql`SELECT ${join(select)} FROM UNNEST(${join(arrays)}) AS u(${columnList(names)})`;
}

/**
 * For a statement prepared once whose caller binds one PostgreSQL array (literal) per column, in column
 * order: `SELECT u."a", u."b"::jsonb FROM UNNEST($1::text[], $2::text[]) AS u("a", "b")`.
 */
export function unnestSlots<C extends string>(table: Table<C>, columns: readonly C[]): Sql {
  const arrays = columns.map((c) => slot(table.types[c] === "jsonb" ? "text[]" : `${table.types[c]}[]`));
  const select = columns.map((c) => (table.types[c] === "jsonb" ? sql`u."${verbatim(c)}"::jsonb` : sql`u."${verbatim(c)}"`));
  return sql`SELECT ${join(select)} FROM UNNEST(${join(arrays.map((a) => sql`${a}`))}) AS u(${columnList(columns)})`;
}
