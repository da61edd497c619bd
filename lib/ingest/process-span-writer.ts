// The one place where the span writer is process state. Everything with an entry point of its own (the
// web server's OTLP fast path, scripts, tests) is handed its writer; Next's route handlers are not: Next
// instantiates them itself, and bundles each route with its own copy of these modules (hence globalThis,
// not a module variable). The web server (lib/server/web-server.ts) provides its writer here once, before
// it serves; under `next dev`, where no entry runs, the first route that writes creates one in process.
import type { RawDb } from "../db/open";
import { inProcessSpanWriter, type SpanWriter } from "./ingest-spans";

/** A function, so that the server can provide its writer before the database can be opened. */
const slot = globalThis as unknown as { argusSpanWriter?: () => SpanWriter };

/** Called once, by the web server entry. */
export function provideProcessSpanWriter(writer: () => SpanWriter): void {
  if (slot.argusSpanWriter) throw new Error("this process already has a span writer");
  slot.argusSpanWriter = writer;
}

/** The writer for route handlers: the one the server provided, else one in process for `raw` (the process's database). */
export function processSpanWriter(raw: RawDb): SpanWriter {
  if (!slot.argusSpanWriter) {
    const writer = inProcessSpanWriter(raw);
    slot.argusSpanWriter = () => writer;
  }
  return slot.argusSpanWriter();
}
