import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { instanceKey } from "../crypto/instance-key";
import { isEncrypted } from "../crypto/secret-box";
import { openChannel } from "./channel-secrets";
import { syncEnvChannels } from "./sync-env-channels";

describe.each(PROVIDERS)("syncEnvChannels on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await t.db.project.createMany({ data: [{ name: "a" }, { name: "b" }] });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  // Read in the clear; what is stored is encrypted (checked below).
  const envRows = async () => (await t.db.notificationChannel.findMany({ where: { source: "env" }, orderBy: [{ projectId: "asc" }, { type: "asc" }] })).map((r) => openChannel(r, instanceKey().key));

  it("creates one row per project and variable, is idempotent, keeps user choices, and disables unset variables", async () => {
    const env = { ARGUS_SLACK_WEBHOOK_URL: "https://hooks.slack.test/services/a", ARGUS_WEBHOOK_URL: "https://hooks.test/x", ARGUS_WEBHOOK_SECRET: "0123456789abcdef" };
    expect(await syncEnvChannels(t.db, env)).toEqual({ created: 4, updated: 0 });
    expect(await syncEnvChannels(t.db, env)).toEqual({ created: 0, updated: 0 });
    const stored = await t.db.notificationChannel.findMany({ where: { source: "env" } });
    expect(stored.every((r) => isEncrypted(r.url) && (r.secret === null || isEncrypted(r.secret)))).toBe(true);
    const rows = await envRows();
    expect(rows.map((r) => [r.type, r.enabled, r.secret])).toEqual([
      ["slack", true, null], ["webhook", true, "0123456789abcdef"], ["slack", true, null], ["webhook", true, "0123456789abcdef"],
    ]);

    await t.db.notificationChannel.update({ where: { id: rows[0]!.id }, data: { minSeverity: "critical" } });
    expect(await syncEnvChannels(t.db, { ...env, ARGUS_WEBHOOK_URL: undefined, ARGUS_WEBHOOK_SECRET: undefined })).toEqual({ created: 0, updated: 2 });
    const after = await envRows();
    expect(after.map((r) => [r.type, r.enabled])).toEqual([["slack", true], ["webhook", false], ["slack", true], ["webhook", false]]);
    expect(after[0]!.minSeverity).toBe("critical");

    expect(await syncEnvChannels(t.db, { ...env, ARGUS_WEBHOOK_URL: "https://hooks.test/new" })).toEqual({ created: 0, updated: 2 });
    expect((await envRows()).filter((r) => r.type === "webhook").map((r) => [r.url, r.enabled])).toEqual([["https://hooks.test/new", true], ["https://hooks.test/new", true]]);
  });
});
