import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ANOMALIES, ROLLUPS, SPANS, TABLES, TRACE_SCORES, TRACES, type Table } from "./columns";
import type { PgType } from "./sql";

const PRISMA_TYPES: Record<string, PgType> = { String: "text", Int: "int4", BigInt: "int8", Float: "float8", Json: "jsonb", DateTime: "timestamp", Boolean: "bool" };

interface SchemaTable {
  /** Column name (the field's @map, else its name) → type. */
  columns: Map<string, PgType>;
}

/** Tables of prisma/schema.prisma by database name (@@map), with their scalar columns. */
function parseSchema(text: string): Map<string, SchemaTable> {
  const tables = new Map<string, SchemaTable>();
  for (const [, model, body] of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const columns = new Map<string, PgType>();
    for (const line of body!.split("\n").map((l) => l.trim())) {
      const field = /^(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line);
      if (!field || line.startsWith("//")) continue;
      const [, name, type, , rest] = field;
      const pgType = PRISMA_TYPES[type!];
      if (!pgType) continue; // a relation field
      columns.set(/@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? name!, pgType);
    }
    tables.set(/@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? model!, { columns });
  }
  return tables;
}

const schema = parseSchema(readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8"));

describe("column lists against prisma/schema.prisma", () => {
  it("parses the schema's tables", () => {
    expect(schema.get("spans")?.columns.get("startNs")).toBe("int8");
    expect(schema.get("anomalies")?.columns.has("project")).toBe(false);
  });

  for (const table of TABLES as readonly Table<string>[]) {
    it(`${table.name}: ${table.columns.slice(0, 3).join(", ")}… exist with their types`, () => {
      const columns = schema.get(table.name)?.columns;
      expect(columns, `table ${table.name}`).toBeDefined();
      for (const column of table.columns) expect([column, columns!.get(column)]).toEqual([column, table.types[column]]);
    });
  }

  it("the writes cover every column they own", () => {
    const all = (name: string) => [...schema.get(name)!.columns.keys()].sort();
    expect([...SPANS.columns, "seq"].sort()).toEqual(all("spans"));
    expect([...TRACES.columns, ...TRACE_SCORES.columns].sort()).toEqual(all("traces"));
    expect([...ROLLUPS.columns].sort()).toEqual(all("span_rollups"));
    const later = ["feedback", "feedbackAt", "alertId"];
    expect([...ANOMALIES.columns, ...later].sort()).toEqual(all("anomalies"));
  });
});
