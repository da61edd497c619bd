// Worker thread body: owns a PostgreSQL pool and writes span batches with it (writer-thread.ts). On the
// main thread each round trip of a transaction waited for that thread to finish decoding whatever request
// it was busy with, while the transaction held the seq lock that every other writer queues on. Here the
// replies are handled at once. Group commit as on the main thread: the requests that arrive while a
// transaction runs are written together in the next one (write-queue.ts).
import { parentPort, workerData } from "node:worker_threads";
import { openPgPool } from "../db/open";
import { unpackBatches } from "./pack-rows";
import { PG_PIPELINE_DEPTH, writeBatchesPostgres } from "./write-postgres";
import { WriteQueue } from "./write-queue";
import { replyFailure, type WriteReply, type WriteRequest } from "./writer-messages";

const port = parentPort!;
const pool = openPgPool((workerData as { target: string }).target, PG_PIPELINE_DEPTH + 1);
const queue = new WriteQueue((batches) => writeBatchesPostgres(pool, batches), undefined, PG_PIPELINE_DEPTH);

port.on("message", (request: WriteRequest) => {
  const batches = unpackBatches(request.batches);
  void Promise.all(batches.map((rows) => queue.enqueue(rows))).then(
    (results) => port.postMessage({ id: request.id, results } satisfies WriteReply),
    (error: unknown) => replyFailure(port, request, error),
  );
});
