// Issue 17, findings 4 and 5 over HTTP against the production server, on both databases.
// 4: nine wrong passwords locked the only admin out for 15 minutes from every address.
// 5: ten concurrent POST /api/auth/setup on a fresh instance created ten admins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { startServer, type TestServer } from "@/tests/helpers/server";

describe.each(PROVIDERS)("sign-in abuse on %s", (provider) => {
  let t: TestDatabase;
  let server: TestServer;
  let adminEmail = "";
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    // One proxy in front: the client address is the X-Forwarded-For entry it appended, so the test can speak from several addresses.
    server = await startServer({ databaseUrl: t.databaseUrl, env: { ARGUS_TRUSTED_PROXY_HOPS: "1" } });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await t?.cleanup();
  });

  const post = (path: string, body: unknown, from = "203.0.113.10") =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": from }, body: JSON.stringify(body) });

  it("finding 5: ten concurrent setups create exactly one admin", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => post("/api/auth/setup", { email: `admin${i}@argus.test`, password: "correct-horse-1" })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(await t.db.user.count()).toBe(1);
    expect(await t.db.user.count({ where: { isAdmin: true } })).toBe(1);
    const admin = await t.db.user.findFirstOrThrow();
    expect((await post("/api/auth/setup", { email: "late@argus.test", password: "correct-horse-1" })).status).toBe(409);
    expect(((await (await fetch(`${server.url}/api/auth/setup`)).json()) as { needsSetup: boolean }).needsSetup).toBe(false);
    adminEmail = admin.email;
  });

  it("finding 4: guesses from one address never lock the admin out of another", async () => {
    const email = adminEmail;
    const attacker = "198.51.100.66";
    const guesses: number[] = [];
    for (let i = 0; i < 9; i++) guesses.push((await post("/api/auth/login", { email, password: `guess-${i}` }, attacker)).status);
    expect(guesses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(guesses).toContain(429);
    const atAttacker = await post("/api/auth/login", { email, password: "correct-horse-1" }, attacker);
    expect(atAttacker.status).toBe(429);
    expect(Number(atAttacker.headers.get("retry-after"))).toBeGreaterThan(0);
    // The owner, elsewhere, at once:
    const owner = await post("/api/auth/login", { email, password: "correct-horse-1" }, "192.0.2.44");
    expect(owner.status).toBe(200);
    // And the counters are kept per address and pair only, each with an expiry.
    const rows = await t.db.loginThrottle.findMany();
    expect(rows.every((r) => r.key.startsWith("address:") || r.key.startsWith("pair:"))).toBe(true);
    expect(rows.every((r) => Number(r.expiresAtMs) > Date.now())).toBe(true);
    expect(rows.some((r) => r.key.includes("192.0.2.44:"))).toBe(false);
  });
});
