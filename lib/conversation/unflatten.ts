// Indexed flat attributes (`prefix.0.message.role`, `prefix.0.message.tool_calls.1.tool_call.id`) as
// nested values, with integer-keyed levels turned into arrays in index order.
import { isRecord, type JsonRecord } from "./json";

/** Sets `path` in `tree`; a path that runs into a value already set (or through one) is dropped. */
function setPath(tree: JsonRecord, path: string[], value: unknown): void {
  let node = tree;
  for (const [i, segment] of path.entries()) {
    if (i === path.length - 1) {
      if (!(segment in node)) node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined) node = node[segment] = {};
    else if (isRecord(next)) node = next;
    else return;
  }
}

function toArrays(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => toArrays(value[k]));
  }
  return Object.fromEntries(keys.map((k) => [k, toArrays(value[k])]));
}

/** The entries under `prefix` (which ends with a dot) as an array, ordered by their leading index; [] when none. */
export function unflattenIndexed(attributes: Readonly<Record<string, unknown>>, prefix: string): { items: unknown[]; keys: string[] } {
  const tree: JsonRecord = {};
  const keys: string[] = [];
  for (const key of Object.keys(attributes)) {
    if (!key.startsWith(prefix)) continue;
    const path = key.slice(prefix.length).split(".");
    if (!/^\d+$/.test(path[0] ?? "") || path.some((s) => s === "")) continue;
    keys.push(key);
    setPath(tree, path, attributes[key]);
  }
  const items = toArrays(tree);
  return { items: Array.isArray(items) ? items : [], keys };
}
