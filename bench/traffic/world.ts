// The simulated production for one scenario: which services and agents exist and which real-world
// behaviours are switched on. The base (all features off) is four services with ordinary agents; each
// feature adds one behaviour so a clean scenario can isolate it, and the realistic mix turns on all.
import { MODELS, platformTools, TOOLS, type AgentSpec, type ServiceSpec, type ToolSpec } from "./catalog";
import { Rng } from "./rng";

export interface Features {
  /** Log-t latency noise (ν = 3–5) instead of lognormal. */
  heavyTail: boolean;
  /** Caches in front of tool backends: bimodal latency (hit ≈ ms, miss ≈ backend). */
  cacheMix: boolean;
  /** LLM client retries (429/5xx with backoff inside one span), framework tool retries, model-driven retries. */
  retries: boolean;
  /** Tool timeouts: slow calls end at the cap with an error. */
  timeouts: boolean;
  /** Prompt caching: cached input tokens, cheaper cost, faster time to first token. */
  promptCaching: boolean;
  /** Routers, guardrails and embeddings: tiny integer token counts. */
  tinyTokens: boolean;
  /** Self-hosted models: cost 0 or no cost at all. */
  zeroCost: boolean;
  /** A platform agent with 30–60 tools of Zipf popularity. */
  manyTools: boolean;
  /** 1 % of analytics runs poll an export job with identical arguments. */
  polling: boolean;
  /** Parallel tool calls (executed concurrently, ending in random order). */
  parallelTools: boolean;
  /** Orchestrators invoking sub-agents several times per trace. */
  subAgents: boolean;
  /** A coding agent with 2–10 minute runs. */
  longRuns: boolean;
  /** Tools executed by a second service (MCP tool server) with its own exporter, clock skew and a replica that flushes late. */
  lateService: boolean;
  /** Hourly cron bursts (and a nightly batch) of a digest agent. */
  cron: boolean;
  /** Hundreds of tenant agents with about 20 runs a day each. */
  quietKeys: boolean;
}

export const NO_FEATURES: Features = {
  heavyTail: false, cacheMix: false, retries: false, timeouts: false, promptCaching: false, tinyTokens: false, zeroCost: false, manyTools: false,
  polling: false, parallelTools: false, subAgents: false, longRuns: false, lateService: false, cron: false, quietKeys: false,
};

export const ALL_FEATURES: Features = Object.fromEntries(Object.keys(NO_FEATURES).map((k) => [k, true])) as unknown as Features;

export interface World {
  features: Features;
  services: Map<string, ServiceSpec>;
  agents: Map<string, AgentSpec>;
  /** Agents that start runs on their own (traffic entry points), with their share of the base rate. */
  entryAgents: AgentSpec[];
  /** Tools no agent normally calls (novel-tool injections). */
  foreignTools: ToolSpec[];
  /** Tenant agents (quiet keys) and their UTC offset in hours. */
  tenants: Array<{ agent: AgentSpec; utcOffset: number }>;
}

const svc = (name: string, flavour: ServiceSpec["flavour"], replicas: number, sdk: ServiceSpec["sdk"], autoInstrumented: boolean, skewMs = 3): ServiceSpec => ({ name, flavour, replicas, sdk, skewMs, autoInstrumented });

export function buildWorld(features: Features, seed: number): World {
  const rng = new Rng(seed).fork("world");
  const f = features;
  const services = new Map<string, ServiceSpec>();
  const agents = new Map<string, AgentSpec>();
  const add = (a: AgentSpec) => agents.set(a.name, a);
  services.set("support-bot", svc("support-bot", "genai", 2, "python", true));
  services.set("research-svc", svc("research-svc", "oi-langchain", 1, "python", false));
  services.set("analytics", svc("analytics", "genai", 1, "node", true));
  services.set("kb-service", svc("kb-service", "oi-llamaindex", 1, "python", false));

  const supportTools = [TOOLS.searchKb, TOOLS.getCustomer, TOOLS.getOrder, TOOLS.listOrders, TOOLS.trackShipment, TOOLS.createTicket, TOOLS.refundOrder, TOOLS.sendEmail];
  add({
    name: "support-agent", service: "support-bot", model: MODELS.gpt41, router: f.tinyTokens ? MODELS.gpt41nano : undefined,
    systemTokens: 1800, userTokens: [120, 0.7],
    tools: f.manyTools ? [...supportTools, ...platformTools(rng.fork("platform"), rng.int(34, 50))] : supportTools,
    zipfS: f.manyTools ? 1.1 : 0.7, meanIterations: 2.2, maxIterations: 8, callTokens: [45, 0.4], finalTokens: [220, 0.5], maxTokens: 1024,
    parallelP: f.parallelTools ? 0.3 : 0, subAgents: f.subAgents ? [{ agent: "refund-specialist", p: 0.3, meanTimes: 1.6 }] : undefined, weight: 0.42,
  });
  add({
    name: "refund-specialist", service: "support-bot", model: MODELS.gpt41mini, systemTokens: 900, userTokens: [200, 0.4],
    tools: [TOOLS.getOrder, TOOLS.refundOrder, TOOLS.sendEmail], zipfS: 0.5, meanIterations: 1.4, maxIterations: 5,
    callTokens: [40, 0.3], finalTokens: [90, 0.4], maxTokens: 512, parallelP: 0, weight: 0, subOnly: true,
  });
  add({
    name: "research-agent", service: "research-svc", model: MODELS.sonnet, systemTokens: 2600, userTokens: [90, 0.6],
    tools: [TOOLS.webSearch, TOOLS.fetchPage, TOOLS.extractFacts, TOOLS.saveNote], zipfS: 0.6, meanIterations: 2.6, maxIterations: 10,
    callTokens: [70, 0.5], finalTokens: [650, 0.5], maxTokens: 4096, parallelP: f.parallelTools ? 0.45 : 0,
    subAgents: f.subAgents ? [{ agent: "web-researcher", p: 0.85, meanTimes: 3 }] : undefined, weight: 0.18,
  });
  add({
    name: "web-researcher", service: "research-svc", model: MODELS.haiku, systemTokens: 1200, userTokens: [60, 0.4],
    tools: [TOOLS.webSearch, TOOLS.fetchPage, TOOLS.extractFacts], zipfS: 0.4, meanIterations: 2.2, maxIterations: 6,
    callTokens: [50, 0.4], finalTokens: [320, 0.5], maxTokens: 1024, parallelP: f.parallelTools ? 0.4 : 0, weight: 0, subOnly: true,
  });
  add({
    name: "sql-agent", service: "analytics", model: f.zeroCost ? MODELS.qwen : MODELS.gpt4o, systemTokens: 1500, userTokens: [70, 0.5],
    tools: [TOOLS.listTables, TOOLS.describeTable, TOOLS.runSql, TOOLS.chart], zipfS: 0.5, meanIterations: 2.4, maxIterations: 9,
    callTokens: [90, 0.5], finalTokens: [180, 0.6], maxTokens: 2048, parallelP: f.parallelTools ? 0.2 : 0,
    // 5 % of the analytics agent's runs (a fifth of all runs): 1 % of all runs.
    polling: f.polling ? { start: TOOLS.startExport, status: TOOLS.jobStatus, intervalMs: 3000, p: 0.05 } : undefined, weight: 0.2,
  });
  add({
    name: "kb-agent", service: "kb-service", model: f.zeroCost ? MODELS.llamaLocal : MODELS.gpt41mini, router: f.tinyTokens ? MODELS.gpt41nano : undefined,
    systemTokens: 700, userTokens: [40, 0.6], tools: [TOOLS.lookupPolicy, TOOLS.queryDocs], zipfS: 0.5, meanIterations: 1.1, maxIterations: 4,
    callTokens: [35, 0.3], finalTokens: [140, 0.5], maxTokens: 512, parallelP: 0,
    rag: f.tinyTokens ? { embed: MODELS.embed, topK: 5, chunkTokens: 320 } : undefined, weight: 0.2,
  });

  if (f.longRuns) {
    services.set("code-assistant", svc("code-assistant", "genai", 2, "node", false));
    add({
      name: "coder-agent", service: "code-assistant", model: MODELS.sonnet, systemTokens: 9000, userTokens: [300, 0.8],
      tools: [TOOLS.readFile, TOOLS.grep, TOOLS.editFile, TOOLS.runTests, TOOLS.shell], zipfS: 0.6, meanIterations: 18, maxIterations: 40,
      callTokens: [140, 0.7], finalTokens: [380, 0.5], maxTokens: 8192, parallelP: 0.25, weight: 0.035,
    });
  }
  if (f.lateService) services.set("mcp-tools", svc("mcp-tools", "genai", 2, "node", true, 40));
  if (f.cron) {
    services.set("ops-cron", svc("ops-cron", "genai", 1, "python", true));
    add({
      name: "digest-agent", service: "ops-cron", model: MODELS.gpt41mini, systemTokens: 1100, userTokens: [60, 0.3],
      tools: [TOOLS.fetchTickets, TOOLS.postSlack], zipfS: 0.3, meanIterations: 1.6, maxIterations: 5,
      callTokens: [40, 0.3], finalTokens: [260, 0.4], maxTokens: 1024, parallelP: 0, weight: 0, subOnly: true,
    });
  }
  const tenants: World["tenants"] = [];
  if (f.quietKeys) {
    services.set("tenant-runtime", svc("tenant-runtime", "genai", 2, "node", false));
    const shared = [TOOLS.searchKb, TOOLS.getCustomer, TOOLS.getOrder, TOOLS.createTicket, TOOLS.sendEmail, TOOLS.lookupPolicy];
    const trng = rng.fork("tenants");
    for (let i = 0; i < 260; i++) {
      const agent: AgentSpec = {
        name: `tenant-${String(1000 + i)}-assistant`, service: "tenant-runtime", model: trng.pick([MODELS.gpt41mini, MODELS.gpt41mini, MODELS.haiku, MODELS.flash]),
        systemTokens: trng.int(400, 3000), userTokens: [80, 0.6], tools: trng.shuffle([...shared]).slice(0, trng.int(2, 5)), zipfS: 0.8,
        meanIterations: trng.uniform(0.5, 1.6), maxIterations: 4, callTokens: [40, 0.4], finalTokens: [trng.int(80, 400), 0.5], maxTokens: 1024,
        parallelP: 0, weight: 0, subOnly: true,
      };
      add(agent);
      tenants.push({ agent, utcOffset: trng.pick([-8, -5, -5, 0, 1, 1, 1, 2, 5.5, 9]) });
    }
  }
  const foreignTools: ToolSpec[] = [
    { ...TOOLS.createTicket, name: "delete_customer_data", remote: false },
    { ...TOOLS.sendEmail, name: "transfer_funds", remote: false },
    { ...TOOLS.shell, name: "exec_shell", timeoutMs: undefined, remote: false },
    { ...TOOLS.fetchPage, name: "http_post_external", remote: false },
  ];
  const entryAgents = [...agents.values()].filter((a) => !a.subOnly);
  return { features, services, agents, entryAgents, foreignTools, tenants };
}
