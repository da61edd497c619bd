// `npm run --silent argus -- <command>`: keys, users, secrets, policies and database administration.
import { readFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { cliContext } from "@/lib/audit/audit-actions";
import { flushSeals } from "@/lib/audit/seal-audit";
import { createApiKey, ensureProject, revokeApiKey } from "@/lib/auth/api-keys";
import { parseScopes, ROLES, isRole } from "@/lib/auth/permissions";
import { createUser, generatePassword, resetPassword } from "@/lib/auth/users";
import { ZNewPassword } from "@/lib/auth/accounts";
import { prepareInstanceKey } from "@/lib/crypto/instance-key";
import { rotateSecrets } from "@/lib/crypto/reencrypt-secrets";
import { keyFingerprint, parseSecretKey } from "@/lib/crypto/secret-box";
import { closeDb, getDb } from "@/lib/db";
import { backupSqlite } from "@/lib/db/backup";
import { migrateDatabase } from "@/lib/db/setup";
import { ConfigError, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { AUDIT_USAGE, runAuditCommand, verifyExportFile } from "./cli-audit";
import { POLICIES_USAGE, runPoliciesCommand, testPolicyFiles } from "./cli-policies";

const USAGE = `usage: npm run --silent argus -- <command>

  keys create --project NAME [--name LABEL] [--scope ingest,read,admin]
                                              create a key (and the project if missing); prints only the key.
                                              Scopes: ingest (send traces, the default), read (the JSON API's GETs),
                                              admin (channels, keys, settings, alert and anomaly actions)
  keys list [--project NAME]                  list keys (prefix, project, scopes, created, last used, revoked)
  keys revoke ID                              revoke a key at once
  projects list                               list projects
  users list                                  list users (email, admin, projects and roles)
  users create --email E [--admin] [--project NAME --role owner|member|viewer] [--password-stdin]
                                              create a user; prints a generated password unless --password-stdin
  users reset-password --email E [--password-stdin]
                                              set a new password (generated unless --password-stdin), sign out everywhere
  secrets rotate                              re-encrypt channel secrets from ARGUS_PREVIOUS_ENCRYPTION_KEY to
                                              ARGUS_ENCRYPTION_KEY (every Argus process stopped; docs/security.md)
  db migrate                                  apply pending migrations
  db backup FILE                              online copy of the SQLite database (VACUUM INTO), checked; see docs/backup.md
${POLICIES_USAGE}
${AUDIT_USAGE}`;

function usage(code = 2): never {
  (code === 0 ? console.log : console.error)(USAGE);
  process.exit(code);
}

function passwordFrom(stdin: boolean | undefined): { password: string; generated: boolean } {
  if (!stdin) return { password: generatePassword(), generated: true };
  const password = readFileSync(0, "utf8").replace(/\r?\n$/, "");
  const parsed = ZNewPassword.safeParse(password);
  if (!parsed.success) throw new AppError("bad_request", `The password ${parsed.error.issues[0]!.message}`);
  return { password, generated: false };
}

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      project: { type: "string" }, name: { type: "string" }, scope: { type: "string" }, email: { type: "string" }, role: { type: "string" },
      admin: { type: "boolean" }, "password-stdin": { type: "boolean" }, help: { type: "boolean", short: "h" },
      author: { type: "string" }, version: { type: "string" }, from: { type: "string" }, to: { type: "string" }, file: { type: "string" },
      since: { type: "string" }, out: { type: "string" },
    },
  });
  if (values.help) usage(0);
  const [group, command, arg] = positionals;
  if (group === "policies" && command === "test") {
    process.exitCode = testPolicyFiles(positionals.slice(2));
    return;
  }
  if (group === "audit" && command === "verify" && values.file) {
    process.exitCode = verifyExportFile(values.file);
    return;
  }
  const env = getEnv();

  if (group === "db" && command === "migrate") {
    const applied = await migrateDatabase(env);
    console.error(applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : "database is up to date");
    return;
  }

  if (group === "db" && command === "backup") {
    if (!arg) throw new AppError("bad_request", "db backup needs the target FILE");
    if (env.databaseProvider !== "sqlite") throw new AppError("bad_request", "db backup is for SQLite; use pg_dump for PostgreSQL (docs/backup.md)");
    const result = backupSqlite(env.databaseTarget, arg);
    console.error(`backed up ${env.databaseTarget} to ${result.file} (${result.bytes} bytes, integrity ${result.integrity})`);
    return;
  }

  await migrateDatabase(env);
  const db = getDb();

  if (group === "audit") {
    process.exitCode = await runAuditCommand(db, env.databaseProvider, command, values);
    return;
  }

  if (group === "secrets" && command === "rotate") {
    if (!env.ARGUS_PREVIOUS_ENCRYPTION_KEY || !env.ARGUS_ENCRYPTION_KEY) {
      throw new AppError("bad_request", "secrets rotate needs ARGUS_PREVIOUS_ENCRYPTION_KEY (the key in use) and ARGUS_ENCRYPTION_KEY (the new key)");
    }
    const toKey = (text: string, source: string) => {
      const key = parseSecretKey(text);
      return { key, fingerprint: keyFingerprint(key), source };
    };
    const { rotated } = await rotateSecrets(db, toKey(env.ARGUS_PREVIOUS_ENCRYPTION_KEY, "ARGUS_PREVIOUS_ENCRYPTION_KEY"), toKey(env.ARGUS_ENCRYPTION_KEY, "ARGUS_ENCRYPTION_KEY"));
    console.error(`re-encrypted ${rotated} channel(s) with the new key; start every process with the new ARGUS_ENCRYPTION_KEY`);
    return;
  }
  await prepareInstanceKey(db, env);

  if (group === "policies") {
    await runPoliciesCommand(db, command, positionals.slice(2), values);
    return;
  }

  if (group === "keys" && command === "create") {
    if (!values.project) throw new AppError("bad_request", "keys create needs --project NAME");
    let scopes;
    try {
      scopes = parseScopes(values.scope ?? "ingest");
    } catch (error) {
      throw new AppError("bad_request", `--scope: ${(error as Error).message}`);
    }
    const project = await ensureProject(db, values.project);
    const { key } = await createApiKey(db, project.id, values.name ?? "cli", scopes, cliContext(os.userInfo().username));
    process.stdout.write(key + "\n");
    return;
  }
  if (group === "keys" && command === "list") {
    const keys = await db.apiKey.findMany({
      where: values.project ? { project: { name: values.project } } : {},
      include: { project: { select: { name: true } } },
      orderBy: { createdAt: "asc" },
    });
    for (const k of keys) {
      console.log(
        [k.id, `${k.prefix}…`, k.project.name, k.name, k.scopes, k.createdAt.toISOString(), k.lastUsedAt?.toISOString() ?? "never", k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active"].join("\t"),
      );
    }
    return;
  }
  if (group === "keys" && command === "revoke") {
    if (!arg) throw new AppError("bad_request", "keys revoke needs the key ID (see `keys list`)");
    await revokeApiKey(db, arg, undefined, cliContext(os.userInfo().username));
    console.error(`revoked ${arg}`);
    return;
  }
  if (group === "projects" && command === "list") {
    for (const p of await db.project.findMany({ orderBy: { createdAt: "asc" } })) console.log([p.id, p.name, p.createdAt.toISOString()].join("\t"));
    return;
  }
  if (group === "users" && command === "list") {
    const users = await db.user.findMany({ orderBy: { createdAt: "asc" }, include: { memberships: { include: { project: { select: { name: true } } } } } });
    for (const u of users) {
      const projects = u.memberships.map((m) => `${m.project.name}:${m.role}`).join(",");
      console.log([u.id, u.email, u.isAdmin ? "admin" : "user", u.oidcSubject ? "sso" : "password", projects || "-", u.createdAt.toISOString()].join("\t"));
    }
    return;
  }
  if (group === "users" && command === "create") {
    if (!values.email) throw new AppError("bad_request", "users create needs --email");
    if (values.role && !isRole(values.role)) throw new AppError("bad_request", `--role must be one of ${ROLES.join(", ")}`);
    if (values.role && !values.project) throw new AppError("bad_request", "--role needs --project NAME");
    const project = values.project ? await db.project.findUnique({ where: { name: values.project } }) : null;
    if (values.project && !project) throw new AppError("not_found", `No project named ${values.project}`);
    const { password, generated } = passwordFrom(values["password-stdin"]);
    const role = values.role && isRole(values.role) ? values.role : "member";
    await createUser(db, { email: values.email, password, isAdmin: values.admin ?? false, project: project ? { id: project.id, role } : undefined });
    if (generated) process.stdout.write(password + "\n");
    console.error(`created ${values.email}${values.admin ? " (admin)" : ""}${project ? ` in ${project.name} as ${role}` : ""}`);
    return;
  }
  if (group === "users" && command === "reset-password") {
    if (!values.email) throw new AppError("bad_request", "users reset-password needs --email");
    const { password, generated } = passwordFrom(values["password-stdin"]);
    const { signedOut } = await resetPassword(db, values.email, password);
    if (generated) process.stdout.write(password + "\n");
    console.error(`new password set for ${values.email}; ${signedOut} session(s) signed out`);
    return;
  }
  usage();
}

try {
  await run(process.argv.slice(2));
  await flushSeals();
  await closeDb();
} catch (error) {
  if (error instanceof ConfigError || error instanceof AppError) {
    console.error(`argus: ${error.message}`);
    process.exit(1);
  }
  if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    console.error(`argus: ${(error as Error).message}`);
    usage();
  }
  throw error;
}
