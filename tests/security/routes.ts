// Every HTTP route of the app, discovered from the filesystem (app/**/route.ts), with its exported
// methods, so security tables fail when a new route or method has no case.
import { readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type Method = (typeof HTTP_METHODS)[number];

export type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface DiscoveredRoute {
  /** URL pattern as in the file tree, e.g. "/api/v1/alerts/[id]/ack". */
  pattern: string;
  file: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** Route groups "(name)" do not appear in URLs. */
export function patternOf(file: string): string {
  const rel = path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s));
  return `/${rel.join("/")}`;
}

export function discoverRoutes(): DiscoveredRoute[] {
  return walk(path.join(root, "app"))
    .map((file) => ({ pattern: patternOf(file), file }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

export async function loadHandlers(route: DiscoveredRoute): Promise<Partial<Record<Method, Handler>>> {
  const mod = (await import(route.file)) as Record<string, unknown>;
  const out: Partial<Record<Method, Handler>> = {};
  for (const m of HTTP_METHODS) if (typeof mod[m] === "function") out[m] = mod[m] as Handler;
  return out;
}

/** "/api/v1/alerts/[id]/ack" + {id: "x"} → "/api/v1/alerts/x/ack". */
export function fillPattern(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/\[(\w+)\]/g, (_m, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
}

export function paramNames(pattern: string): string[] {
  return [...pattern.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
}
