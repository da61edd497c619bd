// How to start the production web process (scripts/web.ts), for the supervisor, e2e, tests and benches.
import path from "node:path";

/**
 * Node arguments for scripts/web.ts. A larger young generation: each in-flight OTLP request keeps a few
 * hundred KB to a few MB alive while it waits for its commit; with the default 16 MB semi-space most of
 * that is copied at every scavenge and promoted, and GC became the largest single CPU cost under load.
 */
export function webServerArgs(root: string, port: number, hostname?: string): string[] {
  return ["--max-semi-space-size=32", "--import", "tsx", path.join(root, "scripts", "web.ts"), "-p", String(port), ...(hostname ? ["-H", hostname] : [])];
}
