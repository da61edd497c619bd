// The dashboard's one time range travels in the `range` URL parameter of every link between pages that
// show a range; these pure helpers add it to a link and read it back.

export const RANGES = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;
export type RangeValue = (typeof RANGES)[number];

/** Pages whose figures depend on the time range (the trace and alert pages show one item, whatever the range). */
const RANGED_PATHS = new Set(["/", "/traces", "/sessions", "/users", "/anomalies", "/agents"]);

export function isRange(value: unknown): value is RangeValue {
  return typeof value === "string" && (RANGES as readonly string[]).includes(value);
}

export function takesRange(path: string): boolean {
  return RANGED_PATHS.has(path);
}

/**
 * `href` with `range` set when its page takes a range and it names no range of its own; other links, and
 * links to other origins, are returned as they are.
 */
export function withRange(href: string, range: string | null | undefined): string {
  if (!isRange(range) || !href.startsWith("/") || href.startsWith("//")) return href;
  const hashAt = href.indexOf("#");
  const hash = hashAt === -1 ? "" : href.slice(hashAt);
  const beforeHash = hashAt === -1 ? href : href.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  if (!takesRange(path)) return href;
  const params = new URLSearchParams(queryAt === -1 ? "" : beforeHash.slice(queryAt + 1));
  if (params.has("range")) return href;
  params.set("range", range);
  return `${path}?${params.toString()}${hash}`;
}
