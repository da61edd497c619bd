// Shared steps of the e2e tests: signing in, the API as the signed-in browser, OTLP sends, polling.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { PROFILES, generateRun, rng, toOtlpJson, type Incident, type RunSession } from "../scripts/seed-data";

export const ADMIN = { email: "admin@argus.test", password: "e2e-password-123" };

export async function signIn(page: Page): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/** Calls the JSON API with the page's session cookie (and its CSRF token for mutations). */
export async function api<T>(page: Page, path: string, init: { method?: string; data?: unknown } = {}): Promise<{ status: number; body: T }> {
  const cookies = await page.context().cookies();
  const csrf = cookies.find((c) => c.name === "argus_csrf")?.value ?? "";
  const res = await page.request.fetch(path, { method: init.method ?? "GET", data: init.data, headers: init.method && init.method !== "GET" ? { "x-csrf-token": csrf } : {} });
  const text = await res.text();
  return { status: res.status(), body: (text ? JSON.parse(text) : null) as T };
}

/** Sends agent runs through the real OTLP/HTTP endpoint (JSON encoding), in chunks like an SDK batch exporter. */
export async function sendRuns(request: APIRequestContext, apiKey: string, runs: Array<{ agent: string; startMs: number; incident?: Incident; session?: RunSession }>, seed = 1): Promise<void> {
  const rand = rng(seed);
  const spans = runs.flatMap((r) => generateRun({ profile: PROFILES.find((p) => p.agent === r.agent)!, startMs: r.startMs, rand, incident: r.incident, session: r.session }));
  for (let i = 0; i < spans.length; i += 500) {
    const res = await request.post("/v1/traces", { data: toOtlpJson(spans.slice(i, i + 500)), headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" } });
    expect(res.status(), await res.text()).toBe(200);
  }
}

/** Polls `probe` until it returns a value (not undefined), or fails after the deadline. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 200;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 1.5, 2000);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A new API key for sending OTLP from a test. */
export async function createApiKey(page: Page, name: string): Promise<string> {
  const { status, body } = await api<{ key: string }>(page, "/api/v1/keys", { method: "POST", data: { name } });
  expect(status).toBe(201);
  return body.key;
}

type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export const otlpAttributes = (attributes: Record<string, string | number | boolean>): Array<{ key: string; value: OtlpValue }> =>
  Object.entries(attributes).map(([key, v]) => ({ key, value: typeof v === "string" ? { stringValue: v } : typeof v === "boolean" ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } }));

/** Sends hand-written OTLP/JSON spans of one service and waits until their trace can be opened. */
export async function sendSpans(page: Page, request: APIRequestContext, apiKey: string, service: string, spans: unknown[]): Promise<void> {
  const otlp = { resourceSpans: [{ resource: { attributes: otlpAttributes({ "service.name": service }) }, scopeSpans: [{ scope: { name: "e2e" }, spans }] }] };
  const res = await request.post("/v1/traces", { data: otlp, headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" } });
  expect(res.status(), await res.text()).toBe(200);
  const traceIds = [...new Set(spans.map((s) => (s as { traceId: string }).traceId))];
  for (const traceId of traceIds) await waitFor(`trace ${traceId}`, async () => ((await api(page, `/api/v1/traces/${traceId}`)).status === 200 ? true : undefined));
}
