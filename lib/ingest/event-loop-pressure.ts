// Load shedding on event-loop lag. The in-flight limit alone does not protect a CPU-bound server: when
// arrivals outpace the CPU, requests queue *before* the handler (sockets, routing, body chunks), so the
// in-flight count stays low while every request waits longer until clients time out. The lag of a timer
// measures that queue; while it is high, new ingest requests get a cheap 503 + Retry-After instead.
import { log } from "../log";

const SAMPLE_MS = 50;
/** How long a lag reading counts: shedding stops about this long after the loop is responsive again. */
const HOLD_MS = 1_000;

export class EventLoopPressure {
  private lastLagMs = 0;
  private lastHighAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly maxLagMs: number) {
    if (maxLagMs <= 0) return;
    let expected = performance.now() + SAMPLE_MS;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.record(Math.max(0, now - expected), now);
      expected = now + SAMPLE_MS;
    }, SAMPLE_MS);
    this.timer.unref();
  }

  /** Pure bookkeeping, separate from the timer so it can be tested. */
  record(lagMs: number, now: number): void {
    this.lastLagMs = lagMs;
    if (lagMs > this.maxLagMs) this.lastHighAt = now;
  }

  /** True while the loop lagged more than maxLagMs within the last second. */
  overloaded(now = performance.now()): boolean {
    return this.maxLagMs > 0 && now - this.lastHighAt < HOLD_MS;
  }

  private lastLogAt = -Infinity;
  private shedSinceLog = 0;

  /** At most one log line per second while shedding, with the number of requests turned away. */
  logShedding(now = performance.now()): void {
    this.shedSinceLog += 1;
    if (now - this.lastLogAt < 1_000) return;
    log.warn("ingest overloaded: shedding load", { eventLoopLagMs: Math.round(this.lastLagMs), maxLagMs: this.maxLagMs, rejected: this.shedSinceLog });
    this.lastLogAt = now;
    this.shedSinceLog = 0;
  }

  get lagMs(): number {
    return this.lastLagMs;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

const holder = globalThis as unknown as { argusEventLoopPressure?: EventLoopPressure };

/** One gauge per server process (shared by every OTLP route bundle). */
export function processPressure(maxLagMs: number): EventLoopPressure {
  if (!holder.argusEventLoopPressure || holder.argusEventLoopPressure.maxLagMs !== maxLagMs) {
    holder.argusEventLoopPressure?.stop();
    holder.argusEventLoopPressure = new EventLoopPressure(maxLagMs);
  }
  return holder.argusEventLoopPressure;
}
