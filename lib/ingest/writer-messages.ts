// Messages between the main thread and a span writer thread (writer-thread.ts ↔ sqlite-writer-worker.ts,
// pg-writer-worker.ts): each request's rows, packed, and the answer to it after its commit.
import type { MessagePort } from "node:worker_threads";
import type { PackedBatches } from "./pack-rows";
import type { WriteResult } from "./write-result";

export interface WriteRequest {
  id: number;
  batches: PackedBatches;
}

export type WriteReply = { id: number; results: WriteResult[] } | { id: number; error: { message: string; code?: string } };

export const spanCount = (request: WriteRequest) => request.batches.counts.reduce((sum, n) => sum + n, 0);

/** Answers a request with its failure; the code (SQLITE_BUSY, a PostgreSQL SQLSTATE…) survives the trip. */
export function replyFailure(port: MessagePort, request: WriteRequest, error: unknown): void {
  const e = error as NodeJS.ErrnoException;
  port.postMessage({ id: request.id, error: { message: String(e?.message ?? error), code: typeof e?.code === "string" ? e.code : undefined } } satisfies WriteReply);
}
