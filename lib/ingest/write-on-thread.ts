// Opt-in for the production web server: SQLite span writes on a dedicated writer thread. Kept out of the
// modules the Next route files import, because bundlers would try to bundle the worker entry.
import type { RawDb } from "../db/open";
import { setSqliteWriter } from "./ingest-spans";
import { SqliteWriterThread } from "./sqlite-writer-thread";

/** From now on this database's spans are written by a writer thread with its own connection (SQLite only). */
export function writeOnThread(raw: RawDb): void {
  if (raw.provider !== "sqlite") return;
  const thread = new SqliteWriterThread(raw.file);
  if (!setSqliteWriter(raw, (batches) => thread.write(batches))) void thread.close();
}
