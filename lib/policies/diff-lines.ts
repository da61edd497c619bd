// A unified diff of two texts (policy versions), with three lines of context, like `diff -u`.

type Op = { kind: " " | "-" | "+"; line: string };

/** Above this many cells the changed middle is shown as removed and re-added instead of aligned. */
const MAX_TABLE_CELLS = 4_000_000;

function alignMiddle(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_TABLE_CELLS) return [...a.map((line) => ({ kind: "-" as const, line })), ...b.map((line) => ({ kind: "+" as const, line }))];
  // lcs[i][j]: longest common subsequence of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ kind: "-", line: a[i++]! });
    else ops.push({ kind: "+", line: b[j++]! });
  }
  return ops;
}

function diffOps(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const same = (lines: string[]) => lines.map((line) => ({ kind: " " as const, line }));
  return [...same(a.slice(0, start)), ...alignMiddle(a.slice(start, a.length - end), b.slice(start, b.length - end)), ...same(a.slice(a.length - end))];
}

const splitLines = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

/** "" when the texts are equal. */
export function unifiedDiff({ before, after, beforeLabel, afterLabel, context = 3 }: { before: string; after: string; beforeLabel: string; afterLabel: string; context?: number }): string {
  const ops = diffOps(splitLines(before), splitLines(after));
  const changed = ops.map((op, index) => (op.kind === " " ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return "";
  const out = [`--- ${beforeLabel}`, `+++ ${afterLabel}`];
  let k = 0;
  while (k < changed.length) {
    const first = Math.max(0, changed[k]! - context);
    let last = changed[k]!;
    while (k + 1 < changed.length && changed[k + 1]! - last <= 2 * context) last = changed[++k]!;
    k++;
    const end = Math.min(ops.length - 1, last + context);
    const hunk = ops.slice(first, end + 1);
    const beforeStart = ops.slice(0, first).filter((op) => op.kind !== "+").length + 1;
    const afterStart = ops.slice(0, first).filter((op) => op.kind !== "-").length + 1;
    const beforeCount = hunk.filter((op) => op.kind !== "+").length;
    const afterCount = hunk.filter((op) => op.kind !== "-").length;
    out.push(`@@ -${beforeCount ? beforeStart : beforeStart - 1},${beforeCount} +${afterCount ? afterStart : afterStart - 1},${afterCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
  }
  return out.join("\n") + "\n";
}
