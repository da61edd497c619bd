// Children that log JSON lines pass through; anything else (Next's own output) is wrapped so
// every line the supervisor prints is one JSON event with a level and the process that spoke.
export function toJsonLogLine(line: string, proc: string, stream: "stdout" | "stderr", now: Date): string | null {
  const trimmed = line.trimEnd();
  if (!trimmed) return null;
  if (trimmed.startsWith("{")) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      if (typeof parsed.level === "string" && typeof parsed.msg === "string") {
        return JSON.stringify({ ...parsed, proc: parsed.proc ?? proc });
      }
    } catch {
      // not JSON after all: wrap it below
    }
  }
  const level = stream === "stderr" ? (/\b(error|exception|fatal)\b/i.test(trimmed) ? "error" : "warn") : "info";
  return JSON.stringify({ time: now.toISOString(), level, proc, msg: trimmed });
}
