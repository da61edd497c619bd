// Memory and CPU of a process and all its descendants (threads count in their process), read from
// /proc. Linux only; a process that is gone counts 0.
import { readdirSync, readFileSync } from "node:fs";

/** The pid and every descendant's pid. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const tree: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    tree.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return tree;
}

function sumOverTree(pid: number | undefined, read: (pid: number) => number): number {
  if (!pid) return 0;
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += read(p);
    } catch {
      // ended
    }
  }
  return total;
}

/** Resident memory in bytes. */
export function processTreeRss(pid: number | undefined): number {
  return sumOverTree(pid, (p) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) * 1024);
}

/** CPU time (user + system) used so far, in ms. */
export function processTreeCpuMs(pid: number | undefined): number {
  return sumOverTree(pid, (p) => {
    const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 ticks/s
  });
}
