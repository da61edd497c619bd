// Bounds concurrent ingestion work (body buffers, decoding, DB transactions). Over the bound, callers are
// told to retry (429 + Retry-After) instead of queueing without limit. The process-wide bound protects
// the server; the per-key bound keeps one key (one noisy or hostile exporter) from taking every slot.
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

/** At most `max` in flight per key; keys with nothing in flight take no memory. */
export class KeyedInflightLimiter {
  private readonly active = new Map<string, number>();
  constructor(readonly max: number) {}

  tryAcquire(key: string): (() => void) | null {
    const n = this.active.get(key) ?? 0;
    if (n >= this.max) return null;
    this.active.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.active.get(key) ?? 1) - 1;
      if (left > 0) this.active.set(key, left);
      else this.active.delete(key);
    };
  }

  inFlight(key: string): number {
    return this.active.get(key) ?? 0;
  }
}

const holder = globalThis as unknown as { argusIngestLimiter?: InflightLimiter; argusKeyLimiter?: KeyedInflightLimiter };

/** One limiter per server process (shared by every OTLP route bundle). */
export function processLimiter(max: number): InflightLimiter {
  if (!holder.argusIngestLimiter || holder.argusIngestLimiter.max !== max) holder.argusIngestLimiter = new InflightLimiter(max);
  return holder.argusIngestLimiter;
}

export function keyLimiter(max: number): KeyedInflightLimiter {
  if (!holder.argusKeyLimiter || holder.argusKeyLimiter.max !== max) holder.argusKeyLimiter = new KeyedInflightLimiter(max);
  return holder.argusKeyLimiter;
}
