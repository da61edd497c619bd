// Teams on both databases: invitations (single use, expiry, bound email, concurrent acceptance, mail),
// roles (the last owner stays), and the admin CLI for users.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "@/lib/auth/accounts";
import { createSession } from "@/lib/auth/session";
import { sendInviteMail } from "@/lib/teams/invite-mail";
import { acceptInvite, createInvite, INVITE_TTL_MS, previewInvite, revokeInvite } from "@/lib/teams/invites";
import { changeMemberRole, listMembers, removeMember } from "@/lib/teams/members";
import { createPrismaClient, type Db } from "@/lib/db";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";

const root = path.resolve(import.meta.dirname, "../..");

/** A minimal SMTP server on 127.0.0.1 that accepts every message and keeps it. */
async function startSmtp(): Promise<{ port: number; messages: string[]; close(): void }> {
  const messages: string[] = [];
  const server = net.createServer((socket) => {
    socket.write("220 test ESMTP\r\n");
    let buffer = "";
    let data: string | null = null;
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let i = buffer.indexOf("\r\n"); i >= 0; i = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (data !== null) {
          if (line === ".") {
            messages.push(data);
            data = null;
            socket.write("250 queued\r\n");
          } else data += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "DATA") {
          data = "";
          socket.write("354 go on\r\n");
        } else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write(verb === "EHLO" ? "250-localhost\r\n250 8BITMIME\r\n" : "250 ok\r\n");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as net.AddressInfo).port, messages, close: () => server.close() };
}

function cli(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/cli.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

describe.each(PROVIDERS)("teams on %s", (provider) => {
  let t: TestDatabase;
  let projectId = "";
  let ownerId = "";
  const now = new Date();

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "team" } })).id;
    ownerId = (await t.db.user.create({ data: { email: "owner@team.test", passwordHash: "x" } })).id;
    await t.db.membership.create({ data: { userId: ownerId, projectId, role: "owner" } });
  });
  afterAll(async () => t?.cleanup());

  it("an invitation link signs a new user up with the invited role, once", async () => {
    const { token } = await createInvite(t.db, { projectId, role: "viewer", createdById: ownerId }, now);
    expect(await previewInvite(t.db, token, now)).toMatchObject({ projectName: "team", role: "viewer", email: null });
    const joined = await acceptInvite(t.db, token, { signup: { email: "new@team.test", password: "new-user-password", name: "New" } }, now);
    expect(joined).toMatchObject({ projectId, created: true });
    expect((await signIn(t.db, { email: "new@team.test", password: "new-user-password" }, "1.2.3.4", Date.now())).id).toBe(joined.userId);
    expect((await listMembers(t.db, projectId)).members.find((m) => m.email === "new@team.test")).toMatchObject({ role: "viewer", signIn: "password" });
    await expect(acceptInvite(t.db, token, { signup: { email: "again@team.test", password: "another-password" } }, now)).rejects.toMatchObject({ code: "not_found" });
    await expect(previewInvite(t.db, token, now)).rejects.toMatchObject({ code: "not_found" });
    const stored = await t.db.invite.findFirstOrThrow({ where: { acceptedById: joined.userId } });
    expect(stored.tokenHash).not.toContain(token);
  });

  it("two browsers accepting the same link at once: one joins", async () => {
    const { token } = await createInvite(t.db, { projectId, role: "member" }, now);
    const results = await Promise.allSettled([
      acceptInvite(t.db, token, { signup: { email: "race1@team.test", password: "race-password-1" } }, now),
      acceptInvite(t.db, token, { signup: { email: "race2@team.test", password: "race-password-2" } }, now),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.user.count({ where: { email: { startsWith: "race" } } })).toBe(1);
  });

  it.each([
    { name: "an expired link", at: new Date(now.getTime() + INVITE_TTL_MS + 1), code: "not_found" },
    { name: "an unknown token", token: "no-such-token", at: now, code: "not_found" },
  ])("refuses $name", async ({ at, code, token }) => {
    const created = await createInvite(t.db, { projectId, role: "viewer" }, now);
    await expect(previewInvite(t.db, token ?? created.token, at)).rejects.toMatchObject({ code });
  });

  it("an invitation for an email binds it; a signed-in user joins without lowering a role they have", async () => {
    const other = await t.db.user.create({ data: { email: "other@team.test", passwordHash: "x" } });
    const bound = await createInvite(t.db, { projectId, role: "member", email: "bound@team.test" }, now);
    await expect(acceptInvite(t.db, bound.token, { userId: other.id }, now)).rejects.toMatchObject({ code: "forbidden" });
    const signup = await acceptInvite(t.db, bound.token, { signup: { email: "ignored@team.test", password: "bound-password" } }, now).catch((e: { code: string }) => e);
    // The forbidden attempt above consumed nothing: the transaction rolled back.
    expect(signup).toMatchObject({ created: true });
    expect(await t.db.user.findUnique({ where: { email: "bound@team.test" } })).not.toBeNull();
    const asViewer = await createInvite(t.db, { projectId, role: "viewer" }, now);
    await acceptInvite(t.db, asViewer.token, { userId: ownerId }, now);
    expect((await t.db.membership.findUniqueOrThrow({ where: { userId_projectId: { userId: ownerId, projectId } } })).role).toBe("owner");
  });

  it("a revoked link stops working", async () => {
    const { token, invite } = await createInvite(t.db, { projectId, role: "viewer" }, now);
    await revokeInvite(t.db, projectId, invite.id);
    await expect(previewInvite(t.db, token, now)).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeInvite(t.db, projectId, invite.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("a project keeps an owner: the last one cannot be demoted or removed", async () => {
    await expect(changeMemberRole(t.db, projectId, ownerId, "member")).rejects.toMatchObject({ code: "conflict" });
    await expect(removeMember(t.db, projectId, ownerId)).rejects.toMatchObject({ code: "conflict" });
    const second = await t.db.user.findUniqueOrThrow({ where: { email: "new@team.test" } });
    await changeMemberRole(t.db, projectId, second.id, "owner");
    await changeMemberRole(t.db, projectId, ownerId, "member");
    await removeMember(t.db, projectId, ownerId);
    expect((await listMembers(t.db, projectId)).members.some((m) => m.userId === ownerId)).toBe(false);
  });

  it("audit gap 14: two owners demoting or removing each other at the same moment leave one owner", async () => {
    // On PostgreSQL a second client stands for a second web process (its own pool). Not on SQLite: its driver
    // is synchronous, so a second connection in this process waiting for the write lock would block the event
    // loop that must commit the first (other processes wait on the lock without blocking ours).
    const other = provider === "postgresql" ? createPrismaClient(t.target) : t.db;
    const moves: Record<string, (db: Db, project: string, user: string) => Promise<unknown>> = {
      demote: (db, project, user) => changeMemberRole(db, project, user, "member"),
      remove: (db, project, user) => removeMember(db, project, user),
    };
    try {
      for (let round = 0; round < 12; round++) {
        const [first, second] = [["demote", "demote"], ["remove", "remove"], ["demote", "remove"]][round % 3]!;
        const project = (await t.db.project.create({ data: { name: `race-${round}` } })).id;
        const owners = await Promise.all(
          ["a", "b"].map(async (who) => {
            const user = await t.db.user.create({ data: { email: `race-${round}-${who}@team.test`, passwordHash: "x" } });
            await t.db.membership.create({ data: { userId: user.id, projectId: project, role: "owner" } });
            return user.id;
          }),
        );
        const secondDb = round < 6 ? t.db : other;
        const outcomes = await Promise.allSettled([moves[first!]!(t.db, project, owners[0]!), moves[second!]!(secondDb, project, owners[1]!)]);
        const left = await t.db.membership.count({ where: { projectId: project, role: "owner" } });
        expect(left, `round ${round} (${first}/${second}, ${secondDb === t.db ? "one client" : "two clients"})`).toBe(1);
        expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "conflict", message: expect.stringMatching(/last owner/) } });
      }
    } finally {
      if (other !== t.db) await other.$disconnect();
    }
  });

  it("CLI: users create prints a generated password, reset-password signs the user out everywhere", async () => {
    const env = { DATABASE_URL: t.databaseUrl };
    const created = await cli(["users", "create", "--email", "Cli@Team.test", "--project", "team", "--role", "viewer"], env);
    expect(created.code, created.stderr).toBe(0);
    const password = created.stdout.trim();
    expect(password).toMatch(/^[\w-]{20}$/);
    const user = await signIn(t.db, { email: "cli@team.test", password }, "5.6.7.8", Date.now());
    expect((await t.db.membership.findUniqueOrThrow({ where: { userId_projectId: { userId: user.id, projectId } } })).role).toBe("viewer");
    await createSession(t.db, user.id, new Date());
    const reset = await cli(["users", "reset-password", "--email", "cli@team.test", "--password-stdin"], env, "brand-new-password-9\n");
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toBe("");
    expect(reset.stderr).toMatch(/1 session\(s\) signed out/);
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await signIn(t.db, { email: "cli@team.test", password: "brand-new-password-9" }, "5.6.7.9", Date.now())).id).toBe(user.id);
    const admin = await cli(["users", "create", "--email", "root@team.test", "--admin", "--password-stdin"], env, "short\n");
    expect(admin.code).toBe(1);
    expect(admin.stderr).toMatch(/must be at least 8 characters/);
    const list = await cli(["users", "list"], env);
    expect(list.stdout).toMatch(/cli@team\.test\tuser\tpassword\tteam:viewer/);
    // Keys from the CLI: ingest only unless asked.
    for (const [args, scopes] of [[[], "ingest"], [["--scope", "read,ingest"], "ingest,read"]] as const) {
      const made = await cli(["keys", "create", "--project", "team", ...args], env);
      expect(made.code, made.stderr).toBe(0);
      expect((await t.db.apiKey.findFirstOrThrow({ where: { prefix: made.stdout.trim().slice(0, 12) } })).scopes).toBe(scopes);
    }
    const bad = await cli(["keys", "create", "--project", "team", "--scope", "root"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown scope 'root'; use ingest, read, admin/);
  }, 60_000);
});

describe("invitation mail", () => {
  it("is sent through ARGUS_SMTP_URL with the link", async () => {
    const smtp = await startSmtp();
    try {
      const result = await sendInviteMail({ ARGUS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, ARGUS_SMTP_FROM: "Argus <argus@team.test>" }, {
        to: "invitee@team.test", projectName: "team", role: "member", url: "https://argus.example/invite/abc", invitedBy: "owner@team.test",
      });
      expect(result).toEqual({ sent: true });
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]).toContain("https://argus.example/invite/abc");
      expect(smtp.messages[0]).toMatch(/To: invitee@team\.test/);
    } finally {
      smtp.close();
    }
  });

  it("a failed send is reported without the SMTP credentials; the link still works", async () => {
    const result = await sendInviteMail({ ARGUS_SMTP_URL: "smtp://mailer:Pa55w0rd@127.0.0.1:1", ARGUS_SMTP_FROM: undefined }, {
      to: "x@team.test", projectName: "team", role: "viewer", url: "https://argus.example/invite/x", invitedBy: "owner",
    });
    expect(result.sent).toBe(false);
    expect(result.error).toMatch(/could not send the mail/);
    expect(result.error).not.toMatch(/Pa55w0rd|mailer/);
  });
});
