// Worker thread body: owns one SQLite connection and writes span batches on it (sqlite-writer-thread.ts).
import { parentPort, workerData } from "node:worker_threads";
import { openSqlite } from "../db/open";
import { unpackBatches, type PackedBatches } from "./pack-rows";
import { writeBatchesSqlite } from "./write-sqlite";

export interface WriteRequest {
  id: number;
  batches: PackedBatches;
}

export type WriteReply =
  | { id: number; results: ReturnType<typeof writeBatchesSqlite> }
  | { id: number; error: { message: string; code?: string } };

const db = openSqlite((workerData as { file: string }).file);
// The checkpoint thread does the regular checkpoints; this one only bounds the WAL (about 64 MB).
db.pragma("wal_autocheckpoint = 16384");

parentPort!.on("message", ({ id, batches }: WriteRequest) => {
  let reply: WriteReply;
  try {
    reply = { id, results: writeBatchesSqlite(db, unpackBatches(batches)) };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    reply = { id, error: { message: String(e?.message ?? error), code: typeof e?.code === "string" ? e.code : undefined } };
  }
  parentPort!.postMessage(reply);
});
