// Worker thread entry: tsx's `--import tsx` hook only registers on the main thread, so register it here
// before loading the TypeScript worker body.
import { register } from "tsx/esm/api";

register();
await import("./sqlite-writer-worker.ts");
