// `--since` of `audit export`: a duration back from now ("30m", "12h", "7d") or a time (ISO 8601, epoch ms). Pure.
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The instant `text` names, or null when it names none. */
export function parseSince(text: string, now: Date): Date | null {
  const trimmed = text.trim();
  const duration = /^(\d{1,6})([mhd])$/.exec(trimmed);
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2]!]!);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) && !/^\d{10,}$/.test(trimmed)) return null;
  const at = /^\d+$/.test(trimmed) ? new Date(Number(trimmed)) : new Date(trimmed);
  return Number.isNaN(at.getTime()) ? null : at;
}
