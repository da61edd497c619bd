// Authors a new migration for both providers: diffs the schema snapshot of the last migration
// against the current schema with Prisma's schema engine (WASM build, no binary download).
// Usage: npm run db:new-migration -- <name>   (PostgreSQL must be reachable for the PG diff)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { derivePostgresSchema } from "../lib/db/derive-schema";

const root = path.resolve(import.meta.dirname, "..");
const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("usage: npm run db:new-migration -- <name>");
  process.exit(2);
}

const wasmPath = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg")).pathname;
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
  "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
});
(bg as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(instance.exports);
(instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();

type Provider = "sqlite" | "postgresql";

function adapterFor(provider: Provider) {
  if (provider === "sqlite") {
    return new PrismaBetterSqlite3({ url: `file:${path.join(os.tmpdir(), `argus-migrate-${process.pid}.db`)}` });
  }
  const url = new URL(process.env.MIGRATION_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  return new PrismaPg({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
  });
}

async function diff(provider: Provider, from: string | undefined, to: string): Promise<string> {
  const schemaPath = "schema.prisma";
  const adapter = bindMigrationAwareSqlAdapterFactory(adapterFor(provider) as never);
  const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, to]] }, () => {}, adapter);
  const filters = { externalTables: [], externalEnums: [] };
  const source: bg.DiffTarget = from === undefined ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: schemaPath, content: from }] };
  const result = await engine.diff({
    from: source,
    to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: to }] },
    script: true,
    exitCode: null,
    filters,
  });
  return (result.stdout as string).trim();
}

// SQLite only auto-assigns "INTEGER PRIMARY KEY"; Prisma emits BIGINT for a BigInt id.
// AUTOINCREMENT also guarantees sequence numbers are never reused, which worker cursors rely on.
function fixSqliteAutoincrement(sql: string): string {
  return sql.replace(/"(\w+)" BIGINT NOT NULL PRIMARY KEY(?! AUTOINCREMENT)/g, '"$1" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT');
}

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const sqliteSchema = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
const schemas: Record<Provider, string> = { sqlite: sqliteSchema, postgresql: derivePostgresSchema(sqliteSchema) };

for (const provider of ["sqlite", "postgresql"] as const) {
  const dir = path.join(root, "prisma/migrations", provider);
  mkdirSync(dir, { recursive: true });
  const snapshotPath = path.join(dir, "schema.snapshot.prisma");
  const previous = existsSync(snapshotPath) ? readFileSync(snapshotPath, "utf8") : undefined;
  let sql = await diff(provider, previous, schemas[provider]);
  if (!sql || /^-- This is an empty migration/.test(sql)) {
    console.log(`${provider}: schema unchanged, no migration written`);
    continue;
  }
  const target = path.join(dir, `${stamp}_${name}`);
  if (provider === "sqlite") sql = fixSqliteAutoincrement(sql);
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, "migration.sql"), sql + "\n");
  writeFileSync(snapshotPath, schemas[provider]);
  console.log(`${provider}: wrote ${path.relative(root, target)}/migration.sql`);
}
process.exit(0);
