// Every worker Argus runs. `npm start` supervises one process per entry (filter with ARGUS_WORKERS).
import { notifierWorker } from "./notifier";
import { retentionWorker } from "./retention";
import type { WorkerDefinition } from "./runtime";
import { scorerWorker } from "./scorer";

export const WORKERS: WorkerDefinition[] = [notifierWorker, scorerWorker, retentionWorker];

export function findWorker(name: string): WorkerDefinition | undefined {
  return WORKERS.find((w) => w.name === name);
}

export function selectWorkers(filter: string | undefined): WorkerDefinition[] {
  if (!filter || filter.trim() === "" || filter.trim() === "all") return WORKERS;
  if (filter.trim() === "none") return [];
  const names = filter.split(",").map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !findWorker(n));
  if (unknown.length) throw new Error(`ARGUS_WORKERS names unknown workers: ${unknown.join(", ")} (known: ${WORKERS.map((w) => w.name).join(", ")})`);
  return WORKERS.filter((w) => names.includes(w.name));
}
