// What runs in the simulated production: services (with their instrumentation flavour and replicas),
// models (latency and price laws), tools (latency laws, caches, timeouts, errors, argument spaces)
// and agents. Figures are typical of hosted LLM APIs and internal services in 2025: time to first
// token grows with the uncached prompt (prefill), generation runs at a per-token pace, tool latency
// is lognormal or log-t around a median with caches in front of slow backends.
import type { Rng } from "./rng";

/**
 * How a service's spans look on the wire:
 * - genai: OTel GenAI semantic conventions (opentelemetry-instrumentation-openai-v2 style LLM spans,
 *   manual invoke_agent / execute_tool spans as the semconv describes), HTTP client spans below.
 * - oi-langchain: OpenInference (LangChain / LangGraph style): AGENT/LLM/TOOL kinds, tool arguments
 *   in input.value, cost reported by the app (llm.cost.total).
 * - oi-llamaindex: OpenInference as the LlamaIndex handler emits it: span names like
 *   "FunctionTool.acall", tool.parameters holds the tool's JSON schema (constant per tool), the
 *   actual call arguments are in input.value.
 */
export type Flavour = "genai" | "oi-langchain" | "oi-llamaindex";

export interface ServiceSpec {
  name: string;
  flavour: Flavour;
  replicas: number;
  /** python: BSP worker wakes every 5 s on a fixed grid; node: 5 s timer armed by the first span. */
  sdk: "python" | "node";
  /** Clock offset of each replica (ms), NTP-quality unless stated. */
  skewMs: number;
  /** HTTP / database auto-instrumentation is on (child spans under tools and LLM calls). */
  autoInstrumented: boolean;
}

export interface ModelSpec {
  /** The name the application requests (gen_ai.request.model / llm.model_name). */
  name: string;
  /** Dated snapshot the provider answers with (gen_ai.response.model). */
  snapshot: string;
  provider: string;
  /** Time to first token at light load (ms), plus prefill per 1,000 uncached prompt tokens. */
  ttftMs: number;
  prefillMsPer1k: number;
  /** Generation pace (ms per output token). */
  perTokenMs: number;
  /** USD per 1M tokens as the application computes it when it reports cost (0 for self-hosted). */
  price: { input: number; output: number; cachedInput: number; cacheWrite?: number };
  /** Hidden reasoning tokens (o-series): median per call, counted in output tokens. */
  reasoningMedian?: number;
  /** Self-hosted (vLLM, Ollama): no list price; cost reported as 0 or not at all. */
  selfHosted?: boolean;
  /** Prompt caching: "auto" (OpenAI, ≥ 1,024-token prefixes) or "explicit" (Anthropic cache_control). */
  caching?: "auto" | "explicit";
}

export interface ToolSpec {
  name: string;
  /** Median latency of the backend (ms) and spread of its log. */
  medianMs: number;
  sigma: number;
  /** Degrees of freedom of the log-t noise when heavy tails are on (3–5 for external APIs). */
  nu: number;
  /** Cache in front of the backend: hit probability at full load, and hit latency median (ms). */
  cache?: { hitRate: number; hitMs: number };
  /** Client timeout: calls that would take longer end at the cap with an error. */
  timeoutMs?: number;
  /** Transient failures (5xx, connection resets) with full latency, and fast validation failures. */
  errorRate: number;
  fastFailRate: number;
  /** Tokens the tool result adds to the agent's context: median and log-spread. */
  resultTokens: [number, number];
  /** Arguments of a call. */
  args: (rng: Rng, run: RunEntities) => string;
  /** Auto-instrumented child span: an HTTP client call or a database query. */
  child?: { kind: "http"; method: string; host: string; route: string } | { kind: "db"; system: string; operation: string; table: string };
  /** Executed by another service (MCP tool server) when the late-service feature is on. */
  remote?: boolean;
}

/** Ids a run works on; tools of one run refer to the same customer / order / repo. */
export interface RunEntities {
  customer: string;
  order: string;
  topic: string;
  repo: string;
  jobId: string;
}

export interface AgentSpec {
  name: string;
  service: string;
  model: ModelSpec;
  /** Small model for routing / classification (a few output tokens). */
  router?: ModelSpec;
  systemTokens: number;
  userTokens: [number, number];
  tools: ToolSpec[];
  /** Zipf exponent of tool popularity. */
  zipfS: number;
  /** Tool-using iterations: 1 + NegBin-like draw with this mean, capped. */
  meanIterations: number;
  maxIterations: number;
  /** Output tokens of a tool-calling turn and of the final answer: median, log-spread. */
  callTokens: [number, number];
  finalTokens: [number, number];
  maxTokens: number;
  /** Probability that a tool-calling turn asks for several tools at once (parallel_tool_calls). */
  parallelP: number;
  /** Sub-agents invoked as steps. */
  subAgents?: Array<{ agent: string; p: number; meanTimes: number }>;
  /** Retrieval-augmented: embed the question, query the vector store, add chunks. */
  rag?: { embed: ModelSpec; topK: number; chunkTokens: number };
  /** Polls an async job with identical arguments, in a share `p` of its runs. */
  polling?: { start: ToolSpec; status: ToolSpec; intervalMs: number; p: number };
  /** Share of the service's traffic. */
  weight: number;
  /** Not an entry point: only runs when another agent invokes it. */
  subOnly?: boolean;
}

// ---------------------------------------------------------------- models

const price = (input: number, output: number, cachedInput = input, cacheWrite?: number) => ({ input, output, cachedInput, cacheWrite });

export const MODELS = {
  gpt41: { name: "gpt-4.1", snapshot: "gpt-4.1-2025-04-14", provider: "openai", ttftMs: 420, prefillMsPer1k: 45, perTokenMs: 13, price: price(2, 8, 0.5), caching: "auto" },
  gpt41mini: { name: "gpt-4.1-mini", snapshot: "gpt-4.1-mini-2025-04-14", provider: "openai", ttftMs: 300, prefillMsPer1k: 22, perTokenMs: 7, price: price(0.4, 1.6, 0.1), caching: "auto" },
  gpt41nano: { name: "gpt-4.1-nano", snapshot: "gpt-4.1-nano-2025-04-14", provider: "openai", ttftMs: 210, prefillMsPer1k: 12, perTokenMs: 4, price: price(0.1, 0.4, 0.025), caching: "auto" },
  gpt4o: { name: "gpt-4o", snapshot: "gpt-4o-2024-08-06", provider: "openai", ttftMs: 450, prefillMsPer1k: 50, perTokenMs: 11, price: price(2.5, 10, 1.25), caching: "auto" },
  o4mini: { name: "o4-mini", snapshot: "o4-mini-2025-04-16", provider: "openai", ttftMs: 600, prefillMsPer1k: 30, perTokenMs: 8, price: price(1.1, 4.4, 0.275), reasoningMedian: 700, caching: "auto" },
  sonnet: { name: "claude-sonnet-4-5", snapshot: "claude-sonnet-4-5-20250929", provider: "anthropic", ttftMs: 850, prefillMsPer1k: 70, perTokenMs: 16, price: price(3, 15, 0.3, 3.75), caching: "explicit" },
  haiku: { name: "claude-haiku-4-5", snapshot: "claude-haiku-4-5-20251001", provider: "anthropic", ttftMs: 420, prefillMsPer1k: 25, perTokenMs: 6, price: price(1, 5, 0.1, 1.25), caching: "explicit" },
  flash: { name: "gemini-2.5-flash", snapshot: "gemini-2.5-flash", provider: "gcp.gemini", ttftMs: 380, prefillMsPer1k: 15, perTokenMs: 4, price: price(0.3, 2.5, 0.075) },
  embed: { name: "text-embedding-3-small", snapshot: "text-embedding-3-small", provider: "openai", ttftMs: 90, prefillMsPer1k: 20, perTokenMs: 0, price: price(0.02, 0) },
  // Self-hosted: vLLM serving an open model (no list price: Argus finds none, the app reports none)
  // and Ollama on a GPU box (LiteLLM in front reports cost 0).
  qwen: { name: "Qwen/Qwen2.5-32B-Instruct", snapshot: "Qwen/Qwen2.5-32B-Instruct", provider: "vllm", ttftMs: 160, prefillMsPer1k: 35, perTokenMs: 22, price: price(0, 0), selfHosted: true },
  llamaLocal: { name: "llama3.1:8b", snapshot: "llama3.1:8b", provider: "ollama", ttftMs: 90, prefillMsPer1k: 40, perTokenMs: 16, price: price(0, 0), selfHosted: true },
} satisfies Record<string, ModelSpec>;

// ---------------------------------------------------------------- tools

const words = ["refund", "invoice", "shipping", "password", "delivery", "warranty", "upgrade", "billing", "account", "cancel", "login", "discount", "tracking", "return", "api", "export", "latency", "quota"];
const phrase = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.pick(words)).join(" ");
const json = (o: Record<string, unknown>) => JSON.stringify(o);

type ToolInit = Partial<ToolSpec> & Pick<ToolSpec, "name" | "medianMs" | "args">;
const tool = (t: ToolInit): ToolSpec => ({ sigma: 0.35, nu: 5, errorRate: 0.005, fastFailRate: 0.002, resultTokens: [250, 0.5], ...t });

export const TOOLS = {
  // support
  searchKb: tool({ name: "search_kb", medianMs: 240, sigma: 0.3, cache: { hitRate: 0.45, hitMs: 4 }, resultTokens: [900, 0.4], args: (r) => json({ query: phrase(r, r.int(2, 5)), top_k: 5 }), child: { kind: "http", method: "POST", host: "kb-search.internal", route: "/v1/search" } }),
  getCustomer: tool({ name: "get_customer", medianMs: 45, sigma: 0.3, cache: { hitRate: 0.6, hitMs: 2 }, resultTokens: [180, 0.3], args: (_r, e) => json({ customer_id: e.customer }), child: { kind: "db", system: "postgresql", operation: "SELECT", table: "customers" } }),
  getOrder: tool({ name: "get_order", medianMs: 60, sigma: 0.35, cache: { hitRate: 0.3, hitMs: 2 }, resultTokens: [260, 0.3], args: (_r, e) => json({ order_id: e.order }), child: { kind: "db", system: "postgresql", operation: "SELECT", table: "orders" } }),
  listOrders: tool({ name: "list_orders", medianMs: 120, sigma: 0.4, resultTokens: [600, 0.6], args: (_r, e) => json({ customer_id: e.customer, limit: 10 }), child: { kind: "db", system: "postgresql", operation: "SELECT", table: "orders" } }),
  trackShipment: tool({ name: "track_shipment", medianMs: 650, sigma: 0.45, nu: 3, timeoutMs: 10_000, errorRate: 0.012, resultTokens: [220, 0.3], args: (_r, e) => json({ order_id: e.order }), child: { kind: "http", method: "GET", host: "api.carrier.example", route: "/track/{id}" }, remote: true }),
  refundOrder: tool({ name: "refund_order", medianMs: 900, sigma: 0.4, nu: 4, timeoutMs: 15_000, errorRate: 0.01, resultTokens: [120, 0.3], args: (r, e) => json({ order_id: e.order, amount_cents: r.int(500, 20000), reason: rng3(r) }), child: { kind: "http", method: "POST", host: "api.stripe.com", route: "/v1/refunds" }, remote: true }),
  createTicket: tool({ name: "create_ticket", medianMs: 380, sigma: 0.35, errorRate: 0.008, resultTokens: [80, 0.3], args: (r, e) => json({ customer_id: e.customer, subject: phrase(r, 4), priority: r.pick(["low", "normal", "high"]) }), child: { kind: "http", method: "POST", host: "api.zendesk.example", route: "/api/v2/tickets" }, remote: true }),
  sendEmail: tool({ name: "send_email", medianMs: 310, sigma: 0.3, errorRate: 0.004, resultTokens: [40, 0.2], args: (r, e) => json({ to: `${e.customer}@mail.example`, template: r.pick(["refund_confirmation", "ticket_update", "followup"]) }), child: { kind: "http", method: "POST", host: "api.sendgrid.com", route: "/v3/mail/send" }, remote: true }),
  // research
  webSearch: tool({ name: "web_search", medianMs: 1100, sigma: 0.45, nu: 3, timeoutMs: 12_000, errorRate: 0.015, cache: { hitRate: 0.15, hitMs: 6 }, resultTokens: [1400, 0.35], args: (r) => json({ q: phrase(r, r.int(3, 7)) + " " + r.hex(4) }), child: { kind: "http", method: "GET", host: "api.search.example", route: "/v1/search" } }),
  fetchPage: tool({ name: "fetch_page", medianMs: 1600, sigma: 0.6, nu: 3, timeoutMs: 20_000, errorRate: 0.04, fastFailRate: 0.01, resultTokens: [3200, 0.8], args: (r) => json({ url: `https://${r.pick(["docs", "blog", "news", "wiki"])}.example.org/${r.hex(10)}` }), child: { kind: "http", method: "GET", host: "fetch-proxy.internal", route: "/fetch" } }),
  extractFacts: tool({ name: "extract_facts", medianMs: 35, sigma: 0.4, resultTokens: [300, 0.4], args: (r) => json({ doc_id: r.hex(12) }) }),
  saveNote: tool({ name: "save_note", medianMs: 25, sigma: 0.3, resultTokens: [20, 0.2], args: (r, e) => json({ topic: e.topic, note_id: r.hex(8) }), child: { kind: "db", system: "redis", operation: "SET", table: "notes" } }),
  // analytics
  listTables: tool({ name: "list_tables", medianMs: 90, sigma: 0.3, cache: { hitRate: 0.7, hitMs: 2 }, resultTokens: [400, 0.2], args: () => "{}", child: { kind: "db", system: "postgresql", operation: "SELECT", table: "information_schema.tables" } }),
  describeTable: tool({ name: "describe_table", medianMs: 70, sigma: 0.3, cache: { hitRate: 0.5, hitMs: 2 }, resultTokens: [350, 0.3], args: (r) => json({ table: r.pick(["orders", "customers", "events", "sessions", "invoices", "products", "refunds", "tickets"]) }), child: { kind: "db", system: "postgresql", operation: "SELECT", table: "information_schema.columns" } }),
  runSql: tool({ name: "run_sql", medianMs: 850, sigma: 0.9, nu: 3, timeoutMs: 30_000, errorRate: 0.03, fastFailRate: 0.02, resultTokens: [700, 0.7], args: (r) => json({ sql: `SELECT ${r.pick(["count(*)", "sum(amount)", "avg(duration)"])} FROM ${r.pick(["orders", "events", "sessions"])} WHERE day >= '${r.int(1, 28)}'` }), child: { kind: "db", system: "postgresql", operation: "SELECT", table: "warehouse" } }),
  chart: tool({ name: "make_chart", medianMs: 420, sigma: 0.3, resultTokens: [60, 0.2], args: (r) => json({ kind: r.pick(["bar", "line", "pie"]), series: r.int(1, 4) }) }),
  startExport: tool({ name: "start_export", medianMs: 200, sigma: 0.3, resultTokens: [40, 0.1], args: (_r, e) => json({ query_id: e.jobId, format: "csv" }) }),
  jobStatus: tool({ name: "get_job_status", medianMs: 40, sigma: 0.3, errorRate: 0.002, resultTokens: [35, 0.1], args: (_r, e) => json({ job_id: e.jobId }), child: { kind: "http", method: "GET", host: "jobs.internal", route: "/jobs/{id}" } }),
  // kb (LlamaIndex)
  lookupPolicy: tool({ name: "lookup_policy", medianMs: 160, sigma: 0.3, resultTokens: [700, 0.3], args: (r) => json({ policy: r.pick(["returns", "warranty", "privacy", "shipping", "billing", "security", "sla"]) }) }),
  queryDocs: tool({ name: "query_docs", medianMs: 320, sigma: 0.35, cache: { hitRate: 0.25, hitMs: 5 }, resultTokens: [1100, 0.4], args: (r) => json({ input: phrase(r, r.int(3, 6)) }) }),
  // coding
  readFile: tool({ name: "read_file", medianMs: 6, sigma: 0.5, resultTokens: [1500, 0.9], args: (r, e) => json({ path: `${e.repo}/src/${r.pick(["api", "core", "ui", "db"])}/${r.hex(5)}.ts` }) }),
  grep: tool({ name: "grep", medianMs: 140, sigma: 0.7, resultTokens: [500, 0.9], args: (r) => json({ pattern: r.pick(["TODO", "export function", "useState", "throw new", "SELECT"]) + r.hex(2) }) }),
  editFile: tool({ name: "edit_file", medianMs: 12, sigma: 0.4, errorRate: 0.03, fastFailRate: 0.03, resultTokens: [80, 0.3], args: (r, e) => json({ path: `${e.repo}/src/${r.hex(5)}.ts`, patch: r.hex(16) }) }),
  runTests: tool({ name: "run_tests", medianMs: 24_000, sigma: 0.7, nu: 4, timeoutMs: 180_000, errorRate: 0.01, resultTokens: [1200, 0.7], args: (r, e) => json({ target: `${e.repo}/${r.pick(["unit", "api", "e2e", "lint"])}` }) }),
  shell: tool({ name: "shell", medianMs: 900, sigma: 1.1, nu: 3, timeoutMs: 120_000, errorRate: 0.04, resultTokens: [600, 1.0], args: (r) => json({ cmd: `${r.pick(["ls", "git diff", "npm run build", "cat package.json", "git status"])} #${r.hex(3)}` }) }),
  // cron digests
  fetchTickets: tool({ name: "fetch_tickets", medianMs: 300, sigma: 0.35, resultTokens: [2500, 0.5], args: (r) => json({ since_hours: 1, team: r.pick(["billing", "shipping", "accounts", "api"]), page: r.int(1, 3) }) }),
  postSlack: tool({ name: "post_slack", medianMs: 250, sigma: 0.3, errorRate: 0.004, resultTokens: [20, 0.1], args: (r) => json({ channel: r.pick(["#billing", "#shipping", "#accounts", "#api"]), ts: r.hex(8) }), child: { kind: "http", method: "POST", host: "slack.com", route: "/api/chat.postMessage" } }),
};

function rng3(r: Rng) {
  return r.pick(["damaged", "late", "not_as_described", "duplicate", "other"]);
}

/** 30–60 tools of a platform agent (internal APIs exposed over MCP), popularity Zipf(s). */
export function platformTools(rng: Rng, n: number): ToolSpec[] {
  const verbs = ["get", "list", "search", "update", "create", "check", "lookup", "sync", "validate", "summarize"];
  const nouns = ["account", "invoice", "plan", "usage", "subscription", "payment", "user", "team", "project", "license", "domain", "webhook", "audit_log", "quota", "region", "sso", "export", "coupon", "contract", "device"];
  const names = new Set<string>();
  while (names.size < n) names.add(`${rng.pick(verbs)}_${rng.pick(nouns)}`);
  return [...names].map((name) => {
    const backend = rng.chance(0.4) ? "db" : "http";
    return tool({
      name,
      medianMs: Math.round(Math.exp(rng.uniform(Math.log(15), Math.log(900)))),
      sigma: rng.uniform(0.25, 0.6),
      nu: rng.pick([3, 4, 5]),
      errorRate: rng.uniform(0.002, 0.02),
      cache: rng.chance(0.3) ? { hitRate: rng.uniform(0.2, 0.8), hitMs: rng.uniform(1, 6) } : undefined,
      timeoutMs: rng.chance(0.5) ? 10_000 : undefined,
      resultTokens: [Math.round(rng.uniform(60, 900)), 0.4],
      args: (r, e) => json({ id: r.chance(0.5) ? e.customer : r.hex(8), fields: r.int(1, 5) }),
      child: backend === "db" ? { kind: "db", system: "postgresql", operation: "SELECT", table: name.split("_").slice(1).join("_") } : { kind: "http", method: "GET", host: "platform-api.internal", route: `/v2/${name}` },
      remote: true,
    });
  });
}
