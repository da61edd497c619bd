// createApiKey's default is least privilege: a caller that passes no scopes gets an ingest-only key
// (issue 17: "the first-start key and the default of keys create are ingest only"; audit gap 11).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { authenticateApiKey, createApiKey, ensureProject } from "./api-keys";
import { refusal, type ProjectAccess } from "./permissions";

describe.each(PROVIDERS)("createApiKey on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.cleanup());

  it("without scopes, creates a key that can only send traces", async () => {
    const project = await ensureProject(t.db, "keys");
    const created = await createApiKey(t.db, project.id);
    expect(created.scopes).toEqual(["ingest"]);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).scopes).toBe("ingest");
    const principal = await authenticateApiKey(t.db, created.key);
    expect(principal.scopes).toEqual(["ingest"]);
    const needs: ProjectAccess[] = ["ingest", "read", "triage", "manage"];
    expect(needs.filter((need) => refusal({ kind: "apiKey", scopes: principal.scopes }, need) === null)).toEqual(["ingest"]);
  });

  it("with scopes, creates exactly those", async () => {
    const project = await ensureProject(t.db, "keys");
    expect((await createApiKey(t.db, project.id, "reader", ["read"])).scopes).toEqual(["read"]);
    expect((await createApiKey(t.db, project.id, "all", ["ingest", "read", "admin"])).scopes).toEqual(["ingest", "read", "admin"]);
  });
});
