// Checkpoint thread (plain JS, started by writer-thread.ts): copies WAL frames into the database
// file and syncs it, off the writer thread, so span writes do not stall on checkpoints. PASSIVE
// checkpoints never block the writer or readers; the writer keeps a larger auto-checkpoint as a backstop
// that bounds the WAL when this thread cannot keep up.
import { workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { file, intervalMs } = workerData;
const db = new Database(file, { timeout: 10_000 });
db.pragma("synchronous = NORMAL");

setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // busy or closing: the next tick or the writer's auto-checkpoint catches up
  }
}, intervalMs);
