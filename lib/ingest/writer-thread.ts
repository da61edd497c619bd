// Span writes on a dedicated worker thread with its own connection(s), while the main thread reads,
// decodes and normalizes the next requests. Each request is posted as soon as it is normalized; the
// thread writes what queued up while its last transaction ran as one group.
//   SQLite (sqlite-writer-worker.ts): the write, CPU-bound inside better-sqlite3, runs on the second core.
//   PostgreSQL (pg-writer-worker.ts): a transaction's round trips are answered at once instead of waiting
//   for the main thread, which keeps the seq lock short.
// The worker loads TypeScript through tsx (writer-boot.mjs), so this runs outside bundlers only.
import { Worker } from "node:worker_threads";
import type { RawDb } from "../db/open";
import { packBatches } from "./pack-rows";
import type { SpanRow } from "./span-row";
import type { WriteReply, WriteRequest } from "./writer-messages";
import type { WriteResult } from "./write-result";

/**
 * The writer's own auto-checkpoint (the only one that can restart the WAL under constant writes) stalls it
 * for two fsyncs plus whatever this thread has not yet copied. Checkpointing nearly continuously keeps that
 * remainder small: at 200 ms the stalls were 60–90 ms and bench:ingest's p99 at half rate about 100 ms; at
 * 20 ms, 43 ms. An idle database makes each tick a read of the WAL header.
 */
const CHECKPOINT_INTERVAL_MS = 20;

interface Waiter {
  resolve(results: WriteResult[]): void;
  reject(error: Error): void;
}

/** Which database a writer thread writes to: the provider and its file or connection URL. */
export type WriterTarget = { provider: "sqlite"; file: string } | { provider: "postgresql"; url: string };

export const writerTargetOf = (raw: RawDb): WriterTarget =>
  raw.provider === "sqlite" ? { provider: "sqlite", file: raw.file } : { provider: "postgresql", url: raw.url };

export class WriterThread {
  private worker: Worker | undefined;
  private checkpointer: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  constructor(private readonly target: WriterTarget) {}

  write(batches: SpanRow[][]): Promise<WriteResult[]> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, batches: packBatches(batches) } satisfies WriteRequest);
    });
  }

  async close(): Promise<void> {
    const { worker, checkpointer } = this;
    this.worker = undefined;
    this.checkpointer = undefined;
    await Promise.all([worker?.terminate(), checkpointer?.terminate()]);
  }

  /** Boots the thread now rather than on the first write (also restarts it after it died). */
  start(): Worker {
    if (this.worker) return this.worker;
    const workerData =
      this.target.provider === "sqlite"
        ? { entry: "./sqlite-writer-worker.ts", file: this.target.file }
        : { entry: "./pg-writer-worker.ts", target: this.target.url };
    const worker = new Worker(new URL("./writer-boot.mjs", import.meta.url), { workerData });
    worker.on("message", (reply: WriteReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if ("results" in reply) waiter.resolve(reply.results);
      else waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    // A dead worker fails what it had (those requests were not acknowledged) and is replaced on next use.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`SQLite writer thread exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    this.startCheckpointer();
    return worker;
  }

  private startCheckpointer(): void {
    if (this.checkpointer || this.target.provider !== "sqlite") return;
    const checkpointer = new Worker(new URL("./sqlite-checkpoint-worker.mjs", import.meta.url), { workerData: { file: this.target.file, intervalMs: CHECKPOINT_INTERVAL_MS } });
    // Checkpoints are an optimization: if this thread dies, the writer's auto-checkpoint still bounds the WAL.
    checkpointer.on("error", () => {});
    checkpointer.on("exit", () => {
      if (this.checkpointer === checkpointer) this.checkpointer = undefined;
    });
    checkpointer.unref();
    this.checkpointer = checkpointer;
  }
}
