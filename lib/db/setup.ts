// Brings a database to the current schema: creates it if missing, applies committed migrations.
import { getEnv, type Env } from "../env";
import { ensurePgDatabase, loadMigrations, migratePg, migrateSqlite, migrationsDir } from "./migrate";
import { openPgPool, openSqlite } from "./open";

export async function migrateDatabase(env: Pick<Env, "databaseProvider" | "databaseTarget"> = getEnv()): Promise<string[]> {
  const migrations = loadMigrations(migrationsDir(env.databaseProvider));
  if (env.databaseProvider === "sqlite") {
    const db = openSqlite(env.databaseTarget);
    try {
      return migrateSqlite(db, migrations);
    } finally {
      db.close();
    }
  }
  await ensurePgDatabase(env.databaseTarget);
  const pool = openPgPool(env.databaseTarget, 1);
  try {
    return await migratePg(pool, migrations);
  } finally {
    await pool.end();
  }
}
