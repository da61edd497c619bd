// The OTel SDK's BatchSpanProcessor per service replica, then the OTLP/HTTP exporter and the network.
// A span enters its replica's queue when it ENDS, so a run's children leave before its agent span and a
// run of several minutes leaves in many pieces. Defaults of both SDKs: schedule delay 5 s, max export
// batch 512, max queue 2,048 (spans beyond are dropped).
// - python: the worker thread wakes every 5 s (or early when the queue reaches 512) and exports
//   everything queued, in batches of 512.
// - node: a 5 s timer is armed by the first span into an idle processor; when it fires one batch is
//   exported, and after the export completes the timer is armed again if spans are waiting (a full
//   batch goes at once).
// Each replica's clock is off by a few ms (NTP); rare exports are retried after a failure; a replica
// behind a collector that lost its backend delivers a 10-minute backlog at once (lateWindows).
import type { ServiceSpec } from "./catalog";
import type { Rng } from "./rng";
import type { ExportRequest, SimSpan } from "./types";

export const SCHEDULE_DELAY_MS = 5000;
export const MAX_EXPORT_BATCH = 512;
export const MAX_QUEUE = 2048;

export interface LateWindow {
  service: string;
  instance: number;
  fromMs: number;
  toMs: number;
}

export interface ExportResult {
  requests: ExportRequest[];
  dropped: number;
  lateFlushes: number;
}

export function exportSpans(rng: Rng, spans: readonly SimSpan[], services: ReadonlyMap<string, ServiceSpec>, lateWindows: readonly LateWindow[] = []): ExportResult {
  const byInstance = new Map<string, SimSpan[]>();
  for (const s of spans) {
    const k = `${s.service}#${s.instance}`;
    let list = byInstance.get(k);
    if (!list) byInstance.set(k, (list = []));
    list.push(s);
  }
  const requests: ExportRequest[] = [];
  let dropped = 0;
  let lateFlushes = 0;
  for (const key of [...byInstance.keys()].sort()) {
    const list = byInstance.get(key)!.sort((a, b) => a.endMs - b.endMs);
    const [service, inst] = key.split("#") as [string, string];
    const spec = services.get(service)!;
    const instance = Number(inst);
    const r = rng.fork(key);
    const skew = spec.skewMs * r.normal();
    const sends: Array<{ at: number; spans: SimSpan[] }> = [];
    const out = spec.sdk === "python" ? pythonBsp(r, list, sends) : nodeBsp(r, list, sends);
    dropped += out;
    const late = lateWindows.filter((w) => w.service === service && w.instance === instance);
    for (const send of sends) {
      if (skew !== 0) send.spans = send.spans.map((s) => ({ ...s, startMs: s.startMs + skew, endMs: s.endMs + skew }));
      let at = send.at + oneWay(r);
      // A failed export (503, reset) is retried after the exporter's backoff.
      if (r.chance(0.001)) at += 1000 + r.exp(2000);
      const w = late.find((x) => send.at >= x.fromMs && send.at < x.toMs);
      if (w) {
        at = w.toMs + 30 * lateFlushes++ + oneWay(r);
      }
      requests.push({ receivedMs: at, service, instance, spans: send.spans });
    }
  }
  requests.sort((a, b) => a.receivedMs - b.receivedMs);
  return { requests, dropped, lateFlushes };
}

function oneWay(r: Rng): number {
  return 8 + 20 * Math.exp(0.5 * r.normal()) + (r.chance(0.002) ? r.pick([200, 1000, 3000]) : 0);
}

function pythonBsp(r: Rng, list: SimSpan[], sends: Array<{ at: number; spans: SimSpan[] }>): number {
  let dropped = 0;
  const queue: SimSpan[] = [];
  let i = 0;
  const enqueueUntil = (t: number) => {
    while (i < list.length && list[i]!.endMs <= t) {
      if (queue.length >= MAX_QUEUE) dropped++;
      else queue.push(list[i]!);
      i++;
    }
  };
  // The worker started with the process: a random phase on the 5 s grid.
  let wake = (list[0]?.endMs ?? 0) + r.uniform(0, SCHEDULE_DELAY_MS);
  while (i < list.length || queue.length) {
    // Asleep until `wake`, unless the queue reaches a full batch first (the 512th span wakes it).
    let early = false;
    while (i < list.length && list[i]!.endMs <= wake) {
      if (queue.length >= MAX_QUEUE) dropped++;
      else queue.push(list[i]!);
      i++;
      if (queue.length >= MAX_EXPORT_BATCH) {
        wake = list[i - 1]!.endMs;
        early = true;
        break;
      }
    }
    // Export batch after batch (each takes a round trip; spans ending meanwhile join the queue):
    // everything on a timed wake-up, full batches on an early one.
    let cursor = wake;
    while (queue.length && (!early || queue.length >= MAX_EXPORT_BATCH)) {
      sends.push({ at: cursor + 0.5, spans: queue.splice(0, MAX_EXPORT_BATCH) });
      cursor += 2 * (10 + 20 * Math.exp(0.5 * r.normal()));
      enqueueUntil(cursor);
    }
    if (i >= list.length && queue.length === 0) break;
    // Then it waits the schedule delay again.
    wake = cursor + SCHEDULE_DELAY_MS;
    // Idle stretches: skip to the wake-up after the next span ends.
    if (queue.length === 0 && i < list.length && list[i]!.endMs > wake) {
      wake += Math.ceil((list[i]!.endMs - wake) / SCHEDULE_DELAY_MS) * SCHEDULE_DELAY_MS;
    }
  }
  return dropped;
}

function nodeBsp(r: Rng, list: SimSpan[], sends: Array<{ at: number; spans: SimSpan[] }>): number {
  let dropped = 0;
  const queue: SimSpan[] = [];
  let i = 0;
  let timer: number | null = null;
  let exportingUntil = -Infinity;
  const flush = (at: number) => {
    sends.push({ at, spans: queue.splice(0, MAX_EXPORT_BATCH) });
    exportingUntil = at + 2 * (10 + 20 * Math.exp(0.5 * r.normal()));
    timer = null;
  };
  for (;;) {
    const nextEnd = i < list.length ? list[i]!.endMs : Infinity;
    const nextDone = exportingUntil > -Infinity ? exportingUntil : Infinity;
    const nextTimer: number = timer ?? Infinity;
    const t = Math.min(nextEnd, nextDone, nextTimer);
    if (t === Infinity) break;
    if (t === nextDone) {
      // Export finished: re-arm if spans wait (a full batch goes at once).
      exportingUntil = -Infinity;
      if (queue.length >= MAX_EXPORT_BATCH) flush(t);
      else if (queue.length && timer === null) timer = t + SCHEDULE_DELAY_MS;
      continue;
    }
    if (t === nextTimer) {
      if (exportingUntil === -Infinity && queue.length) flush(t);
      else timer = null;
      continue;
    }
    const s = list[i++]!;
    if (queue.length >= MAX_QUEUE) {
      dropped++;
      continue;
    }
    queue.push(s);
    if (exportingUntil !== -Infinity) continue;
    if (queue.length >= MAX_EXPORT_BATCH) flush(t);
    else if (timer === null) timer = t + SCHEDULE_DELAY_MS;
  }
  return dropped;
}
