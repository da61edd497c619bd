// Session lifetime: a session past its expiry is refused (and so are its cookies on the API), one just
// inside it works; signing out revokes only that session, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateSession, createSession, deleteSession, SESSION_TTL_MS } from "@/lib/auth/session";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";

describe.each(PROVIDERS)("sessions on %s", (provider) => {
  let t: TestDatabase;
  let userId: string;
  const request = (token: string) => new Request("http://argus.test/api/v1/traces", { headers: { cookie: `argus_session=${token}` } });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const project = await t.db.project.create({ data: { name: "p" } });
    const user = await t.db.user.create({ data: { email: "u@argus.test", passwordHash: "x", isAdmin: false } });
    await t.db.membership.create({ data: { userId: user.id, projectId: project.id } });
    userId = user.id;
  });
  afterAll(async () => t?.cleanup());

  it.each([
    { name: "created just now", ageMs: 0, valid: true },
    { name: "one minute before expiry", ageMs: SESSION_TTL_MS - 60_000, valid: true },
    { name: "exactly at expiry", ageMs: SESSION_TTL_MS, valid: false },
    { name: "long expired", ageMs: SESSION_TTL_MS * 3, valid: false },
  ])("a session $name is valid: $valid", async ({ ageMs, valid }) => {
    const now = Date.now();
    const session = await createSession(t.db, userId, new Date(now - ageMs));
    const principal = await authenticateSession(request(session.token), t.db, new Date(now));
    expect(principal !== null).toBe(valid);
  });

  it("sign-out revokes that session only", async () => {
    const now = new Date();
    const laptop = await createSession(t.db, userId, now);
    const phone = await createSession(t.db, userId, now);
    await deleteSession(t.db, laptop.token);
    expect(await authenticateSession(request(laptop.token), t.db, now)).toBeNull();
    expect(await authenticateSession(request(phone.token), t.db, now)).not.toBeNull();
  });
});
