// `npm run --silent argus -- <command>`: keys and database administration.
import { parseArgs } from "node:util";
import { createApiKey, ensureProject, revokeApiKey } from "@/lib/auth/api-keys";
import { closeDb, getDb } from "@/lib/db";
import { backupSqlite } from "@/lib/db/backup";
import { migrateDatabase } from "@/lib/db/setup";
import { ConfigError, getEnv } from "@/lib/env";
import { AppError } from "@/lib/http/errors";

const USAGE = `usage: npm run --silent argus -- <command>

  keys create --project NAME [--name LABEL]   create a key (and the project if missing); prints only the key
  keys list [--project NAME]                  list keys (prefix, project, created, last used, revoked)
  keys revoke ID                              revoke a key at once
  projects list                               list projects
  db migrate                                  apply pending migrations
  db backup FILE                              online copy of the SQLite database (VACUUM INTO), checked; see docs/backup.md`;

function usage(code = 2): never {
  (code === 0 ? console.log : console.error)(USAGE);
  process.exit(code);
}

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { project: { type: "string" }, name: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) usage(0);
  const [group, command, arg] = positionals;
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

  if (group === "keys" && command === "create") {
    if (!values.project) throw new AppError("bad_request", "keys create needs --project NAME");
    const project = await ensureProject(db, values.project);
    const { key } = await createApiKey(db, project.id, values.name ?? "cli");
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
        [k.id, `${k.prefix}…`, k.project.name, k.name, k.createdAt.toISOString(), k.lastUsedAt?.toISOString() ?? "never", k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active"].join("\t"),
      );
    }
    return;
  }
  if (group === "keys" && command === "revoke") {
    if (!arg) throw new AppError("bad_request", "keys revoke needs the key ID (see `keys list`)");
    await revokeApiKey(db, arg);
    console.error(`revoked ${arg}`);
    return;
  }
  if (group === "projects" && command === "list") {
    for (const p of await db.project.findMany({ orderBy: { createdAt: "asc" } })) console.log([p.id, p.name, p.createdAt.toISOString()].join("\t"));
    return;
  }
  usage();
}

try {
  await run(process.argv.slice(2));
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
