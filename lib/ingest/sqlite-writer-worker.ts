// Worker thread body: owns one SQLite connection and writes span batches on it (writer-thread.ts).
// Group commit happens here: the main thread posts each request as soon as it is normalized, and the
// requests that queued up while a transaction ran are written together in the next one.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { openSqlite } from "../db/open";
import { unpackBatches } from "./pack-rows";
import { failsTogether, MAX_GROUP_SPANS } from "./write-queue";
import { replyFailure, spanCount, type WriteReply, type WriteRequest } from "./writer-messages";
import { writeBatchesSqlite } from "./write-sqlite";

const port = parentPort!;
const db = openSqlite((workerData as { file: string }).file);
// The checkpoint thread does the regular checkpoints; this one only bounds the WAL, at about 64 MB
// (the setting counts pages, and databases created before 16 KB pages keep 4 KB ones).
const WAL_BOUND_BYTES = 64 * 1024 * 1024;
db.pragma(`wal_autocheckpoint = ${Math.ceil(WAL_BOUND_BYTES / Number(db.pragma("page_size", { simple: true })))}`);

/** One transaction for the whole group, with the write queue's failure policy (write-queue.ts). */
function writeGroup(group: WriteRequest[]): void {
  const batches = group.map((request) => unpackBatches(request.batches));
  try {
    const results = writeBatchesSqlite(db, batches.flat());
    let at = 0;
    group.forEach((request, i) => {
      const n = batches[i]!.length;
      port.postMessage({ id: request.id, results: results.slice(at, at + n) } satisfies WriteReply);
      at += n;
    });
  } catch (error) {
    if (failsTogether(group.length, error)) {
      for (const request of group) replyFailure(port, request, error);
      return;
    }
    for (const request of group) writeGroup([request]);
  }
}

port.on("message", (first: WriteRequest) => {
  let group = [first];
  let spans = spanCount(first);
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) {
    const request = next.message as WriteRequest;
    if (spans + spanCount(request) > MAX_GROUP_SPANS) {
      writeGroup(group);
      group = [];
      spans = 0;
    }
    group.push(request);
    spans += spanCount(request);
  }
  writeGroup(group);
});
