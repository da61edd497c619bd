// GET /api/v1/sessions, /api/v1/sessions/{id}, /api/v1/users and the traces list's sessionId / userId filters,
// over real HTTP on both databases, against a hand-built set of conversations whose figures are known.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as sessionRoute } from "@/app/api/v1/sessions/[sessionId]/route";
import { GET as sessionsRoute } from "@/app/api/v1/sessions/route";
import { GET as tracesRoute } from "@/app/api/v1/traces/route";
import { GET as usersRoute } from "@/app/api/v1/users/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { ingestSpans } from "@/lib/ingest/ingest-spans";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { hex, type FixtureSpan } from "@/tests/helpers/otlp-fixtures";
import { serveHandler } from "@/tests/helpers/serve-handler";
import { decodedSpansOf } from "@/tests/helpers/span-rows";
import type { SessionSummary, getTraceSession } from "./trace-sessions";
import type { UserSummary } from "./trace-users";
import type { TraceListItem } from "./list-traces";

const BASE_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const RANGE = `from=${BASE_MS - 60_000}&to=${BASE_MS + 3600_000}`;
const TURN_MS = 2_000;
const COST_PER_CALL = 0.01;

interface Turn {
  session: string | null;
  user: string | null;
  atS: number;
  question: string;
  answer: string;
  /** LLM calls in the turn: 0 (previews only), 1 or 2 (a tool call, then the answer). */
  calls: 0 | 1 | 2;
  error?: boolean;
}

const text = (role: string, content: string) => ({ role, parts: [{ type: "text", content }] });

function turnSpans(t: Turn): FixtureSpan[] {
  const traceId = hex(16);
  const root = hex(8);
  const start = ns(BASE_MS + t.atS * 1000);
  const ids = { ...(t.session ? { "session.id": t.session } : {}), ...(t.user ? { "user.id": t.user } : {}) };
  const spans: FixtureSpan[] = [{
    traceId, spanId: root, name: "invoke_agent support", startNs: start, endNs: start + ns(TURN_MS),
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support", ...ids, ...(t.calls === 0 ? { "input.value": t.question, "output.value": t.answer } : {}) },
  }];
  const call = (i: number, input: unknown[], output: unknown[]): FixtureSpan => ({
    traceId, spanId: hex(8), parentSpanId: root, name: "chat gpt-4o", kind: 3, startNs: start + ns(100 + i * 900), endNs: start + ns(900 + i * 900),
    attributes: {
      "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 20, "gen_ai.usage.cost": COST_PER_CALL,
      "gen_ai.input.messages": JSON.stringify(input), "gen_ai.output.messages": JSON.stringify(output),
    },
    status: t.error && i === t.calls - 1 ? { code: 2, message: "model overloaded" } : undefined,
  });
  const asked = [text("system", "You are the support agent."), text("user", "earlier question"), text("assistant", "earlier answer"), text("user", t.question)];
  if (t.calls === 1) spans.push(call(0, asked, [text("assistant", t.answer)]));
  if (t.calls === 2) {
    spans.push(call(0, asked, [{ role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "lookup_order", arguments: { id: 1 } }] }]));
    spans.push(call(1, [text("user", t.question), { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: "ok" }] }], [text("assistant", t.answer)]));
  }
  return spans;
}

const TURNS: Turn[] = [
  { session: "conv-a", user: "u-1", atS: 0, question: "a1?", answer: "a1!", calls: 2 },
  { session: "conv-a", user: "u-1", atS: 60, question: "a2?", answer: "a2!", calls: 1, error: true },
  { session: "conv-a", user: "u-1", atS: 120, question: "a3?", answer: "a3!", calls: 1 },
  { session: "conv-b", user: "u-1", atS: 30, question: "b1?", answer: "b1!", calls: 1 },
  { session: "Other_c", user: "u-2", atS: 90, question: "c1?", answer: "c1!", calls: 0 },
  { session: "Other_c", user: "u-2", atS: 200, question: "c2?", answer: "c2!", calls: 0 },
  { session: null, user: "u-2", atS: 10, question: "x?", answer: "x!", calls: 1 },
  // Two sessions whose latest turns start at the same instant: the cursor must still page through both.
  { session: "tie-1", user: null, atS: 300, question: "t1?", answer: "t1!", calls: 1 },
  { session: "tie-2", user: null, atS: 300, question: "t2?", answer: "t2!", calls: 1 },
];

interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}
type SessionDetail = Awaited<ReturnType<typeof getTraceSession>>;

describe.each(PROVIDERS)("sessions and users on %s", (provider) => {
  let t: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let keyA: string;
  let keyB: string;
  const traces = TURNS.map(turnSpans);
  const traceOf = (session: string, atS: number) => traces[TURNS.findIndex((x) => x.session === session && x.atS === atS)]![0]!.traceId;
  const get = (path: string, key = keyA) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const json = async <T>(path: string, key = keyA): Promise<T> => {
    const res = await get(path, key);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await closeDb();
    process.env.DATABASE_URL = t.databaseUrl;
    resetEnvCache();
    const projectA = (await t.db.project.create({ data: { name: "a" } })).id;
    const projectB = (await t.db.project.create({ data: { name: "b" } })).id;
    keyA = (await createApiKey(t.db, projectA, "reader-a", ["read"])).key;
    keyB = (await createApiKey(t.db, projectB, "reader-b", ["read"])).key;
    const ingest = (projectId: string, spans: FixtureSpan[]) => ingestSpans(decodedSpansOf(spans), { raw: t.raw, projectId, prices: DEFAULT_PRICES, receivedMs: Date.now() });
    for (const spans of traces) await ingest(projectA, spans);
    await ingest(projectB, turnSpans({ session: "conv-a", user: "u-9", atS: 5, question: "secret?", answer: "secret!", calls: 1 }));
    await t.db.trace.update({ where: { projectId_traceId: { projectId: projectA, traceId: traceOf("conv-a", 120) } }, data: { anomalyCount: 2, anomalyScore: 0.9 } });
    await t.db.trace.update({ where: { projectId_traceId: { projectId: projectA, traceId: traceOf("conv-a", 0) } }, data: { anomalyCount: 1, anomalyScore: 0.4 } });
    server = await serveHandler((req) => {
      const path = new URL(req.url).pathname;
      if (path === "/api/v1/sessions") return sessionsRoute(req);
      if (path.startsWith("/api/v1/sessions/")) return sessionRoute(req, { params: Promise.resolve({ sessionId: decodeURIComponent(path.slice("/api/v1/sessions/".length)) }) });
      if (path === "/api/v1/users") return usersRoute(req);
      return tracesRoute(req);
    });
  });
  afterAll(async () => {
    await server?.close();
    await closeDb();
    await t?.cleanup();
  });

  it("lists sessions by their latest turn with every turn's figures", async () => {
    const { items } = await json<ListPage<SessionSummary>>(`/api/v1/sessions?${RANGE}`);
    expect(items.map((s) => s.sessionId)).toEqual(["tie-2", "tie-1", "Other_c", "conv-a", "conv-b"]);
    expect(items.find((s) => s.sessionId === "conv-a")).toEqual({
      sessionId: "conv-a", userId: "u-1", traceCount: 3, sessionCount: 1, errorTraces: 1, anomalyCount: 3, maxAnomalyScore: 0.9,
      inputTokens: 400, outputTokens: 80, totalTokens: 480, costUsd: expect.closeTo(4 * COST_PER_CALL, 9),
      firstSeenMs: BASE_MS, lastSeenMs: BASE_MS + 120_000 + TURN_MS, durationMs: 120_000 + TURN_MS,
    });
    expect(items.find((s) => s.sessionId === "Other_c")).toMatchObject({ userId: "u-2", traceCount: 2, errorTraces: 0, anomalyCount: 0, maxAnomalyScore: null, totalTokens: 0, costUsd: 0 });
  });

  it("pages one session at a time without repeats, through equal start times", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const body: ListPage<SessionSummary> = await json(`/api/v1/sessions?${RANGE}&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(body.items).toHaveLength(1);
      seen.push(body.items[0]!.sessionId);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["tie-2", "tie-1", "Other_c", "conv-a", "conv-b"]);
  });

  it.each([
    ["an id prefix, ignoring case", "q=CONV", ["conv-a", "conv-b"]],
    ["a prefix with a LIKE wildcard, taken literally", "q=Other_", ["Other_c"]],
    ["a wildcard that matches only as a wildcard", "q=conv_", []],
    ["a user", "userId=u-1", ["conv-a", "conv-b"]],
    ["a range holding one turn of conv-b", `from=${BASE_MS + 20_000}&to=${BASE_MS + 40_000}`, ["conv-b"]],
  ])("filters sessions by %s", async (_name, query, expected) => {
    const { items } = await json<ListPage<SessionSummary>>(`/api/v1/sessions?${RANGE}&${query}`);
    expect(items.map((s) => s.sessionId)).toEqual(expected);
  });

  it("shows a session active in the range with all of its turns counted", async () => {
    const { items } = await json<ListPage<SessionSummary>>(`/api/v1/sessions?from=${BASE_MS + 50_000}&to=${BASE_MS + 70_000}`);
    expect(items).toEqual([expect.objectContaining({ sessionId: "conv-a", traceCount: 3 })]);
  });

  it("reads a session as its turns in order, each with what was asked and answered", async () => {
    const body = await json<SessionDetail>("/api/v1/sessions/conv-a");
    expect(body.session).toMatchObject({ sessionId: "conv-a", traceCount: 3, userId: "u-1" });
    expect(body.turns.map((x) => [x.turn, x.traceId, x.errorCount, x.anomalyCount])).toEqual([
      [1, traceOf("conv-a", 0), 0, 1],
      [2, traceOf("conv-a", 60), 1, 0],
      [3, traceOf("conv-a", 120), 0, 2],
    ]);
    expect(body.turns[0]).toMatchObject({ sessionId: "conv-a", userId: "u-1", totalTokens: 240, costUsd: expect.closeTo(2 * COST_PER_CALL, 9), durationMs: TURN_MS });
    const texts = (turn: SessionDetail["turns"][number]) => [turn.input, turn.output].map((ms) => ms.flatMap((m) => m.parts.map((p) => `${m.role}: ${"text" in p ? p.text : p.type}`)));
    expect(body.turns.map(texts)).toEqual([
      [["user: a1?"], ["assistant: a1!"]],
      [["user: a2?"], ["assistant: a2!"]],
      [["user: a3?"], ["assistant: a3!"]],
    ]);
    const previews = await json<SessionDetail>("/api/v1/sessions/Other_c");
    expect(previews.turns.map(texts)).toEqual([
      [["user: c1?"], ["assistant: c1!"]],
      [["user: c2?"], ["assistant: c2!"]],
    ]);
  });

  it("pages through a session's turns, numbering them across pages", async () => {
    const first = await json<SessionDetail>("/api/v1/sessions/conv-a?limit=2");
    expect(first.turns.map((x) => x.turn)).toEqual([1, 2]);
    const second = await json<SessionDetail>(`/api/v1/sessions/conv-a?limit=2&cursor=${first.nextCursor}`);
    expect(second.turns.map((x) => [x.turn, x.traceId])).toEqual([[3, traceOf("conv-a", 120)]]);
    expect(second.nextCursor).toBeNull();
  });

  it("lists users with their sessions and traces in the range", async () => {
    const { items } = await json<ListPage<UserSummary>>(`/api/v1/users?${RANGE}`);
    expect(items.map((u) => [u.userId, u.sessionCount, u.traceCount, u.errorTraces, u.anomalyCount])).toEqual([
      ["u-2", 1, 3, 0, 0],
      ["u-1", 2, 4, 1, 3],
    ]);
    expect(items[1]).toMatchObject({ totalTokens: 600, costUsd: expect.closeTo(5 * COST_PER_CALL, 9), firstSeenMs: BASE_MS, lastSeenMs: BASE_MS + 120_000 + TURN_MS });
    const narrow = await json<ListPage<UserSummary>>(`/api/v1/users?from=${BASE_MS + 50_000}&to=${BASE_MS + 100_000}`);
    expect(narrow.items.map((u) => [u.userId, u.traceCount])).toEqual([["u-2", 1], ["u-1", 1]]);
    const paged = await json<ListPage<UserSummary>>(`/api/v1/users?${RANGE}&limit=1`);
    const rest = await json<ListPage<UserSummary>>(`/api/v1/users?${RANGE}&limit=1&cursor=${paged.nextCursor}`);
    expect([...paged.items, ...rest.items].map((u) => u.userId)).toEqual(["u-2", "u-1"]);
    expect(rest.nextCursor).toBeNull();
    expect((await json<ListPage<UserSummary>>(`/api/v1/users?${RANGE}&q=U-1`)).items.map((u) => u.userId)).toEqual(["u-1"]);
  });

  it.each([
    ["sessionId=conv-a", 3],
    ["userId=u-2", 3],
    ["sessionId=conv-a&userId=u-2", 0],
    ["sessionId=nobody", 0],
  ])("filters the traces list by %s", async (query, expected) => {
    const { items } = await json<ListPage<TraceListItem>>(`/api/v1/traces?${RANGE}&${query}`);
    expect(items).toHaveLength(expected);
    if (query.startsWith("sessionId=conv-a")) expect(items.every((x) => x.sessionId === "conv-a" && x.userId === "u-1")).toBe(true);
  });

  it("keeps projects apart", async () => {
    const { items } = await json<ListPage<SessionSummary>>(`/api/v1/sessions?${RANGE}`, keyB);
    expect(items.map((s) => [s.sessionId, s.traceCount, s.userId])).toEqual([["conv-a", 1, "u-9"]]);
    const detail = await json<SessionDetail>("/api/v1/sessions/conv-a", keyB);
    expect(detail.turns.map((x) => x.input[0]?.parts)).toEqual([[{ type: "text", text: "secret?" }]]);
    expect((await get("/api/v1/sessions/Other_c", keyB)).status).toBe(404);
  });

  it.each([
    ["/api/v1/sessions?limit=0", 400, "limit"],
    ["/api/v1/sessions?limit=1000", 400, "limit"],
    ["/api/v1/sessions?range=2d", 400, "range"],
    ["/api/v1/sessions?cursor=not-a-cursor", 400, "cursor"],
    [`/api/v1/sessions?cursor=${Buffer.from('[5,"conv-a"]').toString("base64url")}`, 400, "cursor"],
    [`/api/v1/sessions?userId=${"x".repeat(600)}`, 400, "userId"],
    [`/api/v1/sessions?q=${"x".repeat(300)}`, 400, "q"],
    ["/api/v1/sessions/conv-a?cursor=nope", 400, "cursor"],
    ["/api/v1/sessions/conv-a?limit=-1", 400, "limit"],
    ["/api/v1/sessions/no-such-session", 404, "No session with id no-such-session"],
    ["/api/v1/users?limit=abc", 400, "limit"],
    ["/api/v1/users?cursor=bad", 400, "cursor"],
    [`/api/v1/traces?sessionId=${"x".repeat(600)}`, 400, "sessionId"],
  ])("answers %s with %i and a message naming the problem", async (path, status, mention) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain(mention);
  });
});
