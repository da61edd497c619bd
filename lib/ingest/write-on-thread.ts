// Opt-in for the production web server: span writes on a dedicated writer thread. Kept out of the
// modules the Next route files import, because bundlers would try to bundle the worker entry.
import type { RawDb } from "../db/open";
import { setWriter } from "./ingest-spans";
import { WriterThread, writerTargetOf } from "./writer-thread";

/** From now on this database's spans are written by a writer thread with its own connection(s). */
export function writeOnThread(raw: RawDb): void {
  const thread = new WriterThread(writerTargetOf(raw));
  if (!setWriter(raw, (batches) => thread.write(batches))) return;
  thread.start();
}
