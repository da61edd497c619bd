// Bounds concurrent ingestion work (body buffers, decoding, DB transactions). Over the bound, callers are
// told to retry (429 + Retry-After) instead of queueing without limit.
export class InflightLimiter {
  private active = 0;
  constructor(readonly max: number) {}

  /** A release function, or null when the limit is reached. */
  tryAcquire(): (() => void) | null {
    if (this.active >= this.max) return null;
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
    };
  }

  get inFlight(): number {
    return this.active;
  }
}

const holder = globalThis as unknown as { argusIngestLimiter?: InflightLimiter };

/** One limiter per server process (shared by every OTLP route bundle). */
export function processLimiter(max: number): InflightLimiter {
  if (!holder.argusIngestLimiter || holder.argusIngestLimiter.max !== max) holder.argusIngestLimiter = new InflightLimiter(max);
  return holder.argusIngestLimiter;
}
