// The simulated agents: their tools, models and ReAct-style loops, with per-step latency and token laws.

export type Convention = "genai" | "openinference";

export interface ToolSpec {
  name: string;
  /** Median latency (ms) and log-scale spread. */
  medianMs: number;
  sigma: number;
  errorRate: number;
  /** Distinct argument values (large = almost always unique). */
  argSpace: number;
}

export interface ModelSpec {
  name: string;
  provider: string;
  /** USD per 1M input / output tokens. */
  inPrice: number;
  outPrice: number;
  /** Time to first token (ms) and per output token (ms). */
  ttftMs: number;
  perTokenMs: number;
}

export interface AgentSpec {
  name: string;
  service: string;
  convention: Convention;
  model: ModelSpec;
  tools: ToolSpec[];
  /** Tool calls per run: 1 + Poisson(extraCalls), capped. */
  extraCalls: number;
  maxCalls: number;
  /** Share of traffic. */
  weight: number;
  inputMedian: number;
  outputMedian: number;
}

const GPT4O: ModelSpec = { name: "gpt-4o", provider: "openai", inPrice: 2.5, outPrice: 10, ttftMs: 350, perTokenMs: 12 };
const SONNET: ModelSpec = { name: "claude-sonnet-4", provider: "anthropic", inPrice: 3, outPrice: 15, ttftMs: 500, perTokenMs: 15 };
const MINI: ModelSpec = { name: "gpt-4o-mini", provider: "openai", inPrice: 0.15, outPrice: 0.6, ttftMs: 250, perTokenMs: 6 };

export const AGENTS: AgentSpec[] = [
  {
    name: "support-agent", service: "support", convention: "genai", model: GPT4O, extraCalls: 1.2, maxCalls: 5, weight: 0.45, inputMedian: 1800, outputMedian: 220,
    tools: [
      { name: "search_kb", medianMs: 420, sigma: 0.35, errorRate: 0.01, argSpace: 1e9 },
      { name: "get_order", medianMs: 180, sigma: 0.3, errorRate: 0.015, argSpace: 1e9 },
      { name: "refund_order", medianMs: 650, sigma: 0.4, errorRate: 0.02, argSpace: 1e9 },
      { name: "escalate_ticket", medianMs: 300, sigma: 0.35, errorRate: 0.01, argSpace: 1e9 },
    ],
  },
  {
    name: "research-agent", service: "research", convention: "openinference", model: SONNET, extraCalls: 2, maxCalls: 7, weight: 0.3, inputMedian: 4000, outputMedian: 400,
    tools: [
      { name: "web_search", medianMs: 900, sigma: 0.4, errorRate: 0.02, argSpace: 1e9 },
      { name: "fetch_page", medianMs: 1200, sigma: 0.45, errorRate: 0.03, argSpace: 1e9 },
      { name: "extract_facts", medianMs: 250, sigma: 0.3, errorRate: 0.005, argSpace: 1e9 },
    ],
  },
  {
    name: "sql-agent", service: "analytics", convention: "genai", model: MINI, extraCalls: 0.8, maxCalls: 4, weight: 0.25, inputMedian: 2500, outputMedian: 150,
    tools: [
      { name: "list_tables", medianMs: 120, sigma: 0.3, errorRate: 0.005, argSpace: 1e9 },
      { name: "run_sql", medianMs: 700, sigma: 0.5, errorRate: 0.03, argSpace: 1e9 },
      { name: "chart", medianMs: 400, sigma: 0.35, errorRate: 0.01, argSpace: 1e9 },
    ],
  },
];

/** Tools no agent normally calls, used for novel transitions. */
export const FOREIGN_TOOLS: ToolSpec[] = [
  { name: "delete_records", medianMs: 300, sigma: 0.3, errorRate: 0, argSpace: 1e9 },
  { name: "send_email", medianMs: 500, sigma: 0.3, errorRate: 0, argSpace: 1e9 },
  { name: "shell_exec", medianMs: 200, sigma: 0.3, errorRate: 0, argSpace: 1e9 },
];
