// A client holding an ingestion slot while it trickles its body (one byte every few seconds) would keep
// that slot, and the memory reserved for it, for as long as it likes. Bodies must arrive within a
// deadline and, after a short grace period, at a minimum average rate; otherwise 408 and the slot is freed.
import { AppError } from "../errors";

export interface BodyPace {
  timeoutMs: number;
  /** 0 disables the rate check. */
  minBytesPerSec: number;
  /** Time before the rate is judged (connection start-up, a first slow chunk). */
  graceMs: number;
}

export const DEFAULT_BODY_PACE: BodyPace = { timeoutMs: 60_000, minBytesPerSec: 1024, graceMs: 5_000 };

export type PaceVerdict = "ok" | "timeout" | "too_slow";

export function paceVerdict(elapsedMs: number, bytes: number, pace: BodyPace): PaceVerdict {
  if (elapsedMs >= pace.timeoutMs) return "timeout";
  if (pace.minBytesPerSec > 0 && elapsedMs >= pace.graceMs && bytes < (pace.minBytesPerSec * elapsedMs) / 1000) return "too_slow";
  return "ok";
}

export function paceError(verdict: Exclude<PaceVerdict, "ok">, pace: BodyPace): AppError {
  return verdict === "timeout"
    ? new AppError("request_timeout", `The request body did not arrive within ${pace.timeoutMs} ms`)
    : new AppError("request_timeout", `The request body arrived slower than ${pace.minBytesPerSec} bytes/s`);
}

/** Checks `verdict` every `everyMs` while a body is read; calls `onViolation` once. Returns a stop function. */
export function watchPace(pace: BodyPace, bytesSoFar: () => number, onViolation: (error: AppError) => void, everyMs = 500): () => void {
  const started = performance.now();
  const timer = setInterval(() => {
    const verdict = paceVerdict(performance.now() - started, bytesSoFar(), pace);
    if (verdict === "ok") return;
    clearInterval(timer);
    onViolation(paceError(verdict, pace));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
