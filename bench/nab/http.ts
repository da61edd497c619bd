// The benchmark's HTTP client of the product: OTLP/JSON export, status polling and span list pages.
// Retries what the product asks to retry (429/503 with Retry-After); anything else unexpected is an error.
import type { ReadSpan } from "./results";

const MAX_ATTEMPTS = 20;

async function request(url: string, key: string, init: RequestInit = {}): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });
    const text = await res.text();
    if (res.ok) return text ? (JSON.parse(text) as unknown) : {};
    if ((res.status === 429 || res.status === 503) && attempt < MAX_ATTEMPTS) {
      const retryAfterS = Number(res.headers.get("retry-after") ?? 1);
      await new Promise((r) => setTimeout(r, Math.min(5, Number.isFinite(retryAfterS) ? retryAfterS : 1) * 1000));
      continue;
    }
    throw new Error(`${init.method ?? "GET"} ${url} → ${res.status}: ${text.slice(0, 500)}`);
  }
}

/** Exports one OTLP/JSON request; a partial success (rejected spans) is an error: every row must be stored. */
export async function exportSpans(baseUrl: string, key: string, body: unknown): Promise<void> {
  const reply = (await request(`${baseUrl}/v1/traces`, key, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })) as {
    partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string };
  };
  const rejected = Number(reply.partialSuccess?.rejectedSpans ?? 0);
  if (rejected > 0 || reply.partialSuccess?.errorMessage) {
    throw new Error(`the product rejected ${rejected} span(s): ${reply.partialSuccess?.errorMessage ?? "(no message)"}`);
  }
}

export interface SpanCounts {
  ingested: number;
  scored: number;
}

export async function readStatus(baseUrl: string, key: string): Promise<SpanCounts> {
  const body = (await request(`${baseUrl}/api/v1/status`, key)) as { spans: SpanCounts };
  return { ingested: body.spans.ingested, scored: body.spans.scored };
}

interface SpanPage {
  items: ReadSpan[];
  nextCursor: string | null;
}

/** Every span of the key's project that starts in [fromMs, toMs), through GET /api/v1/spans in pages of `limit`. */
export async function readAllSpans(baseUrl: string, key: string, range: { fromMs: number; toMs: number }, limit: number): Promise<{ spans: ReadSpan[]; pages: number }> {
  const spans: ReadSpan[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query = new URLSearchParams({ from: String(range.fromMs), to: String(range.toMs), limit: String(limit), ...(cursor ? { cursor } : {}) });
    const page = (await request(`${baseUrl}/api/v1/spans?${query}`, key)) as SpanPage;
    for (const s of page.items) spans.push({ traceId: s.traceId, spanId: s.spanId, startTimeUnixNano: s.startTimeUnixNano, durationMs: s.durationMs, score: s.score });
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { spans, pages };
}

/** One request of one span: the first request of a route after the server starts loads its code (1-2 s here). */
export async function warmUpSpanList(baseUrl: string, key: string): Promise<number> {
  const t0 = performance.now();
  await request(`${baseUrl}/api/v1/spans?from=0&limit=1`, key);
  return performance.now() - t0;
}
