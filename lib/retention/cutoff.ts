// Pure retention arithmetic: which instant a project's data must be older than to be deleted.

export const DAY_MS = 24 * 3600_000;

export interface RetentionCutoff {
  /** Rows whose time is before this are expired. */
  ms: number;
  ns: bigint;
  date: Date;
}

/** null when retention is off (no value) for the project. */
export function retentionCutoff(nowMs: number, retentionDays: number | null | undefined): RetentionCutoff | null {
  if (retentionDays === null || retentionDays === undefined || !Number.isInteger(retentionDays) || retentionDays <= 0) return null;
  const ms = nowMs - retentionDays * DAY_MS;
  return { ms, ns: BigInt(ms) * 1_000_000n, date: new Date(ms) };
}

/** Whether a pass is due: never run, or the last full pass finished at least `intervalMs` ago. */
export function passDue(lastPassEndMs: number | null, nowMs: number, intervalMs: number): boolean {
  return lastPassEndMs === null || nowMs - lastPassEndMs >= intervalMs;
}
