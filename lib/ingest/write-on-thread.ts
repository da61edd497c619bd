// For the production web server: span writes on a dedicated writer thread. Kept out of the modules the
// Next route files import, because bundlers would try to bundle the worker entry.
import type { RawDb } from "../db/open";
import { SpanWriter } from "./ingest-spans";
import { WriterThread, writerTargetOf } from "./writer-thread";

/** A writer whose spans are written by a writer thread (booted now) with its own connection(s). */
export function writeOnThread(raw: RawDb): SpanWriter {
  const thread = new WriterThread(writerTargetOf(raw));
  thread.start();
  // Every request goes to the thread at once: it groups what queued up while it wrote (group commit
  // there, without waiting for this thread to notice each commit).
  return new SpanWriter(raw.provider, (batches) => thread.write(batches), Number.POSITIVE_INFINITY);
}
