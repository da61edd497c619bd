// Worker thread entry: tsx's `--import tsx` hook only registers on the main thread, so register it here
// before loading the TypeScript worker body named by the spawner (writer-thread.ts).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(new URL(workerData.entry, import.meta.url).href);
