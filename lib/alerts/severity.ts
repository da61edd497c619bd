// The one severity scale used across Argus, lowest first.
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

/** 0 for info … 4 for critical; unknown strings rank as info so bad data never escalates. */
export function severityRank(severity: string | null | undefined): number {
  const index = SEVERITIES.indexOf(severity as Severity);
  return index < 0 ? 0 : index;
}

export function maxSeverity(a: string, b: string): Severity {
  return (severityRank(a) >= severityRank(b) ? normalizeSeverity(a) : normalizeSeverity(b));
}

export function normalizeSeverity(value: string | null | undefined): Severity {
  return isSeverity(value) ? value : "info";
}

/** True when `severity` reaches `minimum` (a channel's threshold). */
export function meetsSeverity(severity: string, minimum: string): boolean {
  return severityRank(severity) >= severityRank(minimum);
}
