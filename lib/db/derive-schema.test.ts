import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema } from "./derive-schema";

const root = path.resolve(import.meta.dirname, "../..");
const read = (p: string) => readFileSync(path.join(root, p), "utf8");

describe("provider variants of the schema", () => {
  it("prisma/postgresql/schema.prisma is derived from prisma/schema.prisma (run `npm run db:derive`)", () => {
    expect(read("prisma/postgresql/schema.prisma")).toBe(derivePostgresSchema(read("prisma/schema.prisma")));
  });

  it("the latest migrations were authored from the current schema (run `npm run db:new-migration -- <name>`)", () => {
    const source = read("prisma/schema.prisma");
    expect(read("prisma/migrations/sqlite/schema.snapshot.prisma")).toBe(source);
    expect(read("prisma/migrations/postgresql/schema.snapshot.prisma")).toBe(derivePostgresSchema(source));
  });

  it.each([
    ["no sqlite provider", 'generator client {\n output = "../lib/generated/prisma"\n}\ndatasource db {\n provider = "mysql"\n}'],
    ["no output", 'generator client {\n provider = "prisma-client"\n}\ndatasource db {\n provider = "sqlite"\n}'],
  ])("refuses a schema with %s", (_name, schema) => {
    expect(() => derivePostgresSchema(schema)).toThrow(/must declare provider/);
  });

  it("switches provider and output only", () => {
    const source = 'generator client {\n  provider = "prisma-client"\n  output   = "../lib/generated/prisma"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\nmodel A { id Int @id }\n';
    const derived = derivePostgresSchema(source);
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain('output   = "../../lib/generated/prisma-pg"');
    expect(derived).toContain("model A { id Int @id }");
  });
});
