// One agent run → its spans, as the instrumented processes record them. ReAct-style loop: an LLM turn
// asks for tool calls (sometimes several, run concurrently), results grow the context, until a final
// answer; orchestrators invoke sub-agents, RAG agents embed and retrieve first, routers classify with
// a tiny model, some runs poll an async job. Latency: LLM time to first token + prefill of the uncached
// prompt + output tokens × pace (reasoning tokens included), client retries with backoff inside the
// LLM span; tools: cache hit/miss mixture, backend law, timeouts at a cap, transient errors and fast
// validation failures, framework retries with the same arguments; remote tools run in the MCP server.
import type { AgentSpec, ModelSpec, RunEntities, ServiceSpec, ToolSpec } from "./catalog";
import { agentSpan, dbSpan, embeddingSpan, httpSpan, llmEndpoint, llmSpan, mcpServerSpan, retrieverSpan, toolSpan, type Named, type Usage } from "./conventions";
import { clientBackoffMs, countAround, frameworkBackoffMs, logNoise, networkMs, providerLoad } from "./laws";
import { Zipf, type Rng } from "./rng";
import type { Episode, SimSpan } from "./types";
import type { World } from "./world";

/** A change confined to one key and time window (injected regressions, error rates, price changes...). */
export interface WindowEffect {
  episode: Episode;
  kind: "latency" | "errors" | "fast_fail" | "price" | "rate";
  value: number;
}

/** Per-run anomaly injected at generation time. */
export type RunInjection =
  | { kind: "spike"; factor: number; on: "tool" | "llm" }
  | { kind: "tokens_out"; factor: number }
  | { kind: "tokens_in"; factor: number }
  | { kind: "empty" }
  | { kind: "novel_tool" }
  | { kind: "loop"; repeats: number }
  | { kind: "chain"; factor: number };

export interface RunPlan {
  agent: AgentSpec;
  startMs: number;
  instance: number;
  injection?: { inj: RunInjection; episode: Episode };
}

export interface SimEnv {
  world: World;
  /** Window effects active for this call key at time t. */
  effects(service: string, agent: string, tool: string | null, model: string | null, t: number): WindowEffect[];
  /** Prompt size multiplier at time t (gradual prompt growth). */
  promptGrowth(t: number): number;
  /** Response snapshot and latency / output multipliers of a model at time t (silent upgrades). */
  upgrade(model: ModelSpec, t: number): { snapshot: string; latency: number; output: number };
  /** Cache warmth in [0, 1] (traffic level) for tool caches. */
  warmth(t: number): number;
  /** Last time each (agent, model) prompt prefix was sent (provider prompt cache, 5-minute TTL). */
  promptCache: Map<string, number>;
  /** Called with each LLM span answered by an upgraded snapshot. */
  onUpgradedCall?(spanId: string): void;
}

export interface RunResult {
  traceId: string;
  spans: SimSpan[];
  endMs: number;
  /** Span the injection applies to (span-level injections). */
  injectedSpanId?: string;
  /** Episodes (window effects) this run's calls took part in. */
  episodes: Set<string>;
}

const zipfCache = new WeakMap<AgentSpec, Zipf>();
const zipfOf = (a: AgentSpec) => {
  let z = zipfCache.get(a);
  if (!z) zipfCache.set(a, (z = new Zipf(a.tools.length, a.zipfS)));
  return z;
};

interface CallOutcome {
  end: number;
  ok: boolean;
  resultTokens: number;
  spanId: string;
}

interface Call {
  tool: ToolSpec;
  args: string;
}

export class RunSimulator {
  private spans: SimSpan[] = [];
  private traceId = "";
  private session = "";
  private entities!: RunEntities;
  private episodes = new Set<string>();
  private injectedSpanId: string | undefined;
  private rootAgent!: AgentSpec;

  constructor(private readonly env: SimEnv, private readonly rng: Rng) {}

  run(plan: RunPlan): RunResult {
    const rng = this.rng;
    this.spans = [];
    this.episodes = new Set();
    this.injectedSpanId = undefined;
    this.traceId = rng.hex(32);
    this.session = `sess_${rng.hex(12)}`;
    this.entities = { customer: `cus_${rng.hex(10)}`, order: `ORD-${rng.int(100000, 999999)}`, topic: rng.hex(6), repo: `repo-${rng.int(1, 40)}`, jobId: `job_${rng.hex(10)}` };
    this.rootAgent = plan.agent;
    const end = this.agentRun(plan.agent, null, plan.startMs, plan.instance, plan.injection?.inj ?? null, 0);
    return { traceId: this.traceId, spans: this.spans, endMs: end.end, injectedSpanId: this.injectedSpanId, episodes: this.episodes };
  }

  private service(name: string): ServiceSpec {
    return this.env.world.services.get(name)!;
  }

  private id(): string {
    return this.rng.hex(16);
  }

  private push(n: Named, service: string, instance: number, parent: string | null, spanId: string, start: number, end: number, status: 0 | 1 | 2, message?: string): void {
    this.spans.push({
      traceId: this.traceId, spanId, parentSpanId: parent, service, instance, name: n.name, otelKind: n.otelKind, startMs: start, endMs: Math.max(end, start + 0.001),
      status, statusMessage: message, attrs: n.attrs, scope: n.scope,
    });
  }

  private mark(effects: WindowEffect[]): void {
    for (const e of effects) this.episodes.add(e.episode.id);
  }

  private recordCalls(effects: WindowEffect[], end: number, spanId: string): void {
    for (const e of effects) {
      const ep = e.episode;
      ep.callEndMs.push(end);
      ep.callSpanIds.push(spanId);
      if (ep.traceIds[ep.traceIds.length - 1] !== this.traceId) ep.traceIds.push(this.traceId);
    }
  }

  // ------------------------------------------------------------------ agent loop

  private agentRun(agent: AgentSpec, parent: string | null, t0: number, instance: number, inj: RunInjection | null, depth: number): { end: number; ok: boolean } {
    const rng = this.rng;
    const f = this.env.world.features;
    const svc = this.service(agent.service);
    const rootId = this.id();
    let t = t0 + 0.5 + rng.exp(4);
    const growth = this.env.promptGrowth(t0);
    // System prompt and tool schemas (about 60 tokens a tool), then the user's message.
    let ctx = Math.round((agent.systemTokens + 60 * agent.tools.length) * growth) + countAround(rng, agent.userTokens[0], agent.userTokens[1]);
    const prefix = Math.round((agent.systemTokens + 60 * agent.tools.length) * growth);
    let ok = true;

    if (agent.router) {
      const r = this.llm(agent, agent.router, rootId, t, instance, 180 + countAround(rng, 60, 0.5), 0, "route", null);
      t = r.end + 0.3 + rng.exp(2);
    }
    if (agent.rag) {
      t = this.rag(agent, rootId, t, instance);
      ctx += agent.rag.topK * countAround(rng, agent.rag.chunkTokens, 0.25);
    }

    let iterations = Math.min(agent.maxIterations, rng.poisson(rng.gamma(2) * (agent.meanIterations / 2)));
    if (inj?.kind === "chain") iterations = Math.round(agent.maxIterations * inj.factor);
    const onTool = inj !== null && (inj.kind === "novel_tool" || inj.kind === "loop" || (inj.kind === "spike" && inj.on === "tool"));
    if (onTool && iterations === 0) iterations = 1;
    const target = inj ? rng.int(0, onTool ? iterations - 1 : iterations) : -1;
    const pollAt = agent.polling && rng.chance(agent.polling.p) ? rng.int(0, Math.max(0, iterations - 1)) : -1;
    let previous: number | null = null;
    let retryNext: Call | null = null;
    const used = new Set<string>();

    // Orchestrator: a planning turn, then sub-agents (several times per run), before its own loop.
    if (agent.subAgents && agent.subAgents.some((s) => rng.chance(s.p))) {
      const plan = this.llm(agent, agent.model, rootId, t, instance, ctx, prefix, "call", null);
      t = plan.end + 0.3 + rng.exp(3);
      ctx += plan.output;
      for (const s of agent.subAgents) {
        const sub = this.env.world.agents.get(s.agent)!;
        const times = 1 + rng.poisson(Math.max(0, s.meanTimes - 1));
        // Orchestrator-workers run their sub-agents concurrently; hand-offs run one after the other.
        const parallel = agent.name === "research-agent";
        let latest = t;
        for (let k = 0; k < times; k++) {
          const start = parallel ? t + rng.uniform(0.2, 6) : latest;
          const r = this.agentRun(sub, rootId, start, instance, null, depth + 1);
          latest = Math.max(latest, r.end + (parallel ? 0 : 0.5 + rng.exp(3)));
          ctx += countAround(rng, sub.finalTokens[0], 0.4);
        }
        t = latest + 0.5 + rng.exp(3);
      }
    }

    for (let i = 0; i <= iterations; i++) {
      const final = i === iterations;
      const here = i === target ? inj : null;
      const llmInj = here && (here.kind === "tokens_in" || here.kind === "tokens_out" || here.kind === "empty" || (here.kind === "spike" && here.on === "llm")) ? here : null;
      const llm = this.llm(agent, agent.model, rootId, t, instance, ctx, prefix, final ? "final" : "call", llmInj);
      t = llm.end + 0.3 + rng.exp(3);
      if (!llm.ok) {
        ok = false;
        break;
      }
      ctx += llm.output;
      if (final) break;

      // Tool calls of this turn.
      let calls: Call[];
      if (retryNext) {
        calls = [retryNext];
        retryNext = null;
      } else {
        const k = agent.parallelP > 0 && rng.chance(agent.parallelP) ? Math.min(5, 2 + rng.geometric(0.55)) : 1;
        calls = [];
        for (let c = 0; c < k; c++) {
          // The model has earlier results in its context: it rarely repeats a call with the same
          // arguments (coding agents do re-read a file after editing it).
          let call: Call;
          let tries = 0;
          do {
            const idx = this.nextTool(agent, previous);
            previous = idx;
            call = { tool: agent.tools[idx]!, args: agent.tools[idx]!.args(rng, this.entities) };
          } while (used.has(call.tool.name + call.args) && agent.service !== "code-assistant" && ++tries < 6);
          used.add(call.tool.name + call.args);
          calls.push(call);
        }
      }
      let foreign: Call | null = null;
      if (here?.kind === "novel_tool") {
        const tool = rng.pick(this.env.world.foreignTools);
        foreign = { tool, args: tool.args(rng, this.entities) };
        calls.splice(rng.int(0, calls.length), 0, foreign);
      }
      if (here?.kind === "loop") {
        // The model keeps asking for the same call with the same arguments.
        const c = calls[0]!;
        for (let r = 0; r < here.repeats; r++) {
          const out = this.tool(agent, c.tool, c.args, rootId, t, instance, null);
          t = out.end + 0.3 + rng.exp(3);
          ctx += out.resultTokens;
          if (r < here.repeats - 1) {
            const turn = this.llm(agent, agent.model, rootId, t, instance, ctx, prefix, "call", null);
            t = turn.end + 0.3 + rng.exp(3);
            ctx += turn.output;
          }
        }
        continue;
      }
      const spikeTool = here?.kind === "spike" && here.on === "tool" ? rng.int(0, calls.length - 1) : -1;
      if (calls.length === 1) {
        const out = this.tool(agent, calls[0]!.tool, calls[0]!.args, rootId, t, instance, spikeTool === 0 ? here : null);
        if (foreign) this.injectedSpanId = out.spanId;
        t = out.end + 0.3 + rng.exp(3);
        ctx += out.resultTokens;
        if (!out.ok && f.retries && rng.chance(0.5)) retryNext = calls[0]!; // the model tries the same call again
      } else {
        // asyncio.gather / Promise.all: started a few hundred microseconds apart in request order,
        // finishing in whatever order their latencies give.
        let latest = t;
        for (let c = 0; c < calls.length; c++) {
          const out = this.tool(agent, calls[c]!.tool, calls[c]!.args, rootId, t + c * rng.uniform(0.05, 0.6), instance, spikeTool === c ? here : null);
          if (calls[c] === foreign) this.injectedSpanId = out.spanId;
          latest = Math.max(latest, out.end);
          ctx += out.resultTokens;
        }
        t = latest + 0.3 + rng.exp(3);
      }
      if (i === pollAt && agent.polling) t = this.poll(agent, rootId, t, instance, () => ctx, (d) => (ctx += d), prefix);
    }
    const end = t + 0.2 + rng.exp(2);
    const named = agentSpan(svc.flavour, agent.name, this.session);
    this.push(named, agent.service, instance, parent, rootId, t0, end, ok ? 0 : 2, ok ? undefined : "AgentRunError: model call failed");
    void depth;
    return { end, ok };
  }

  private nextTool(agent: AgentSpec, previous: number | null): number {
    // Workflows have structure: after a tool, the next one in the agent's list is likely.
    if (previous !== null && this.rng.chance(0.35)) return (previous + 1) % agent.tools.length;
    return zipfOf(agent).sample(this.rng);
  }

  private rag(agent: AgentSpec, parent: string, t: number, instance: number): number {
    const rng = this.rng;
    const svc = this.service(agent.service);
    const rag = agent.rag!;
    const q = countAround(rng, 14, 0.5, 3);
    const embedDur = (rag.embed.ttftMs + rag.embed.prefillMsPer1k * (q / 1000)) * logNoise(rng, 0.3, this.env.world.features.heavyTail ? 4 : null) + networkMs(rng, false, this.env.world.features.heavyTail);
    const e = embeddingSpan(svc.flavour, rag.embed, q);
    this.push(e, agent.service, instance, parent, this.id(), t, t + embedDur, 0);
    t += embedDur + 0.2;
    const retDur = 18 * logNoise(rng, 0.4, this.env.world.features.heavyTail ? 4 : null);
    this.push(retrieverSpan(svc.flavour, rag.topK), agent.service, instance, parent, this.id(), t, t + retDur, 0);
    return t + retDur + 0.3;
  }

  private poll(agent: AgentSpec, parent: string, t: number, instance: number, ctx: () => number, grow: (d: number) => void, prefix: number): number {
    const rng = this.rng;
    const p = agent.polling!;
    const args = p.start.args(rng, this.entities);
    let out = this.tool(agent, p.start, args, parent, t, instance, null);
    t = out.end + 0.3;
    const statusArgs = p.status.args(rng, this.entities);
    const polls = Math.min(40, 3 + rng.geometric(0.12));
    for (let k = 0; k < polls; k++) {
      const turn = this.llm(agent, agent.model, parent, t, instance, ctx(), prefix, "call", null);
      t = turn.end + p.intervalMs * rng.uniform(0.8, 1.2);
      grow(turn.output);
      out = this.tool(agent, p.status, statusArgs, parent, t, instance, null);
      t = out.end + 0.3;
      grow(out.resultTokens);
    }
    return t;
  }

  // ------------------------------------------------------------------ LLM calls

  private llm(
    agent: AgentSpec, model: ModelSpec, parent: string, t: number, instance: number, ctx: number, prefix: number,
    kind: "call" | "final" | "route", inj: RunInjection | null,
  ): { end: number; ok: boolean; output: number } {
    const rng = this.rng;
    const f = this.env.world.features;
    const svc = this.service(agent.service);
    const effects = this.env.effects(agent.service, agent.name, null, model.name, t);
    this.mark(effects);
    const up = this.env.upgrade(model, t);
    let input = ctx;
    if (inj?.kind === "tokens_in") input = Math.round(ctx * inj.factor);
    let output: number;
    if (kind === "route") output = rng.int(1, 4);
    else {
      const [m, s] = kind === "call" ? agent.callTokens : agent.finalTokens;
      output = countAround(rng, m * up.output, s);
    }
    let finish = kind === "call" ? "tool_calls" : "stop";
    if (output > agent.maxTokens) {
      output = agent.maxTokens;
      finish = "length";
    }
    let maxTokens = agent.maxTokens;
    if (inj?.kind === "tokens_out") {
      // Runaway generation on a code path that sets no max_tokens (the provider's cap: 16,384).
      output = Math.min(16_384, Math.round(countAround(rng, agent.finalTokens[0], 0.2) * inj.factor));
      finish = output >= 16_384 ? "length" : "stop";
      maxTokens = 16_384;
    }
    if (inj?.kind === "empty") {
      output = 0;
      finish = "stop";
    }
    const reasoning = model.reasoningMedian && kind !== "route" ? countAround(rng, model.reasoningMedian, 0.8) : 0;
    // Prompt caching: the prefix (system prompt + tools, and within a run the previous turns) is
    // cached if the same prefix was sent within the provider's TTL.
    let cacheRead = 0;
    let cacheWrite = 0;
    if (f.promptCaching && model.caching && kind !== "route") {
      const key = `${agent.name}|${model.name}`;
      const last = this.env.promptCache.get(key) ?? -Infinity;
      const warm = t - last < 300_000;
      const inRun = ctx > prefix + 200 ? ctx - countAround(this.rng, 400, 0.5) : 0;
      if (model.caching === "explicit") {
        cacheRead = warm ? Math.max(prefix, inRun) : inRun;
        cacheWrite = Math.max(0, input - cacheRead - countAround(rng, 150, 0.6));
      } else if (input >= 1024 && rng.chance(warm ? 0.85 : 0.3)) {
        cacheRead = Math.floor(Math.min(input - 1, Math.max(prefix, inRun)) / 128) * 128;
      }
      cacheRead = Math.min(cacheRead, input);
      this.env.promptCache.set(key, t);
    }
    const usage: Usage = { input, output: output + reasoning, cacheRead, cacheWrite, reasoning };
    // Reported prompt tokens: research-svc's instrumentation writes Anthropic's raw input_tokens, which exclude cache reads and writes.
    const reportedInput = svc.name === "research-svc" && model.provider === "anthropic" ? Math.max(1, input - cacheRead - cacheWrite) : input;

    const heavy = f.heavyTail;
    const load = providerLoad(t);
    let latencyFactor = up.latency;
    let fastFail = false;
    for (const e of effects) {
      if (e.kind === "latency") latencyFactor *= e.value;
      if (e.kind === "fast_fail") fastFail = true;
    }
    const ttft = model.ttftMs * logNoise(rng, 0.3, heavy ? 4 : null) * Math.sqrt(load) + model.prefillMsPer1k * ((input - cacheRead) / 1000) * logNoise(rng, 0.15, null);
    const gen = (output + reasoning) * model.perTokenMs * load * logNoise(rng, 0.12, heavy ? 5 : null);
    let attemptMs = (ttft + gen) * latencyFactor + 2 * networkMs(rng, model.selfHosted === true, heavy);
    if (inj?.kind === "spike" && inj.on === "llm") {
      const typical = (model.ttftMs + model.prefillMsPer1k * (input / 1000) + (output + reasoning) * model.perTokenMs) * load + 56;
      attemptMs = inj.factor * typical * Math.exp(0.1 * rng.normal());
    }

    // Attempts: 429 / 5xx with client retries (max_retries = 2) when retries are on; a credentials
    // problem fails fast and is not retried.
    const spanId = this.id();
    if (inj) this.injectedSpanId = spanId;
    const attempts: Array<{ start: number; end: number; status: number }> = [];
    let cursor = t + 0.2;
    let ok = true;
    let message: string | undefined;
    if (fastFail) {
      const d = 15 + 25 * rng.next();
      attempts.push({ start: cursor, end: cursor + d, status: 401 });
      cursor += d;
      ok = false;
      message = "AuthenticationError: Error code: 401 - invalid x-api-key";
    } else {
      const maxRetries = f.retries ? 2 : 0;
      for (let a = 0; ; a++) {
        const r = rng.next();
        const p429 = f.retries ? 0.012 * load * load : 0;
        const p5xx = 0.003;
        if (r < p429 || r < p429 + p5xx) {
          const is429 = r < p429;
          const d = is429 ? 120 + 250 * rng.next() : attemptMs * rng.uniform(0.05, 0.9);
          attempts.push({ start: cursor, end: cursor + d, status: is429 ? 429 : rng.pick([500, 502, 503, model.provider === "anthropic" ? 529 : 503]) });
          cursor += d;
          if (a >= maxRetries) {
            ok = false;
            message = is429 ? "RateLimitError: Error code: 429" : "InternalServerError: Error code: 503";
            break;
          }
          cursor += clientBackoffMs(rng, a);
          continue;
        }
        attempts.push({ start: cursor, end: cursor + attemptMs, status: 200 });
        cursor += attemptMs;
        break;
      }
    }
    const end = cursor + 0.3;
    if (up.snapshot !== model.snapshot) this.env.onUpgradedCall?.(spanId);
    let cost: number | null = null;
    // research-svc (LangChain + a cost callback) and LiteLLM in front of Ollama report cost; others leave it to Argus's price table.
    if (svc.flavour === "oi-langchain" || model.provider === "ollama") {
      const p = model.price;
      let factor = 1;
      for (const e of effects) if (e.kind === "price") factor *= e.value;
      const uncached = Math.max(0, input - cacheRead - cacheWrite);
      cost = ok ? (factor * (uncached * p.input + cacheRead * p.cachedInput + cacheWrite * (p.cacheWrite ?? p.input) + usage.output * p.output)) / 1e6 : 0;
      cost = Math.round(cost * 1e8) / 1e8;
    }
    const named = llmSpan(svc.flavour, model, ok ? up.snapshot : model.name, usage, reportedInput, finish, maxTokens, cost);
    if (!ok) {
      // No response, so no usage, finish reason or response model: instrumentations record the error only.
      named.attrs = named.attrs.filter(([k]) => !/token|finish_reasons|response\.model|cost/.test(k));
      named.attrs.push(["error.type", message!.split(":")[0]!]);
    }
    this.push(named, agent.service, instance, parent, spanId, t, end, ok ? 0 : 2, message);
    // httpx instrumentation under the LLM client span: one HTTP span per attempt.
    if (svc.autoInstrumented && svc.sdk === "python") {
      const ep = llmEndpoint(model);
      for (const a of attempts) this.push(httpSpan("POST", ep.host, ep.route, a.status), agent.service, instance, spanId, this.id(), a.start, a.end, a.status >= 400 ? 2 : 0);
    }
    this.recordCalls(effects, end, spanId);
    return { end, ok, output: ok ? output : 0 };
  }

  // ------------------------------------------------------------------ tools

  private tool(agent: AgentSpec, tool: ToolSpec, args: string, parent: string, t: number, instance: number, inj: RunInjection | null): CallOutcome {
    const rng = this.rng;
    const f = this.env.world.features;
    let last: CallOutcome | null = null;
    const maxAttempts = f.retries ? 3 : 1;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const out = this.toolAttempt(agent, tool, args, parent, t, instance, attempt === 0 ? inj : null);
      last = out;
      if (out.ok || out.resultTokens < 0) break;
      t = out.end + frameworkBackoffMs(rng, attempt);
    }
    return { ...last!, resultTokens: Math.max(0, last!.resultTokens) };
  }

  /** One attempt; resultTokens < 0 marks a failure that is not worth retrying (validation error). */
  private toolAttempt(agent: AgentSpec, tool: ToolSpec, args: string, parent: string, t: number, instance: number, inj: RunInjection | null): CallOutcome {
    const rng = this.rng;
    const f = this.env.world.features;
    const svc = this.service(agent.service);
    const effects = this.env.effects(agent.service, agent.name, tool.name, null, t);
    this.mark(effects);
    let latencyFactor = 1;
    let errorRate = tool.errorRate;
    let fastFail = rng.chance(tool.fastFailRate);
    for (const e of effects) {
      if (e.kind === "latency") latencyFactor *= e.value;
      if (e.kind === "errors") errorRate = e.value;
      if (e.kind === "fast_fail") fastFail = true;
    }
    const load = this.env.warmth(t);
    let hit = false;
    let dur: number;
    let ok = true;
    let message: string | undefined;
    let httpStatus = 200;
    if (fastFail) {
      // Rejected before any backend work: bad arguments, missing permission, expired credentials.
      dur = 2 + 12 * rng.next();
      ok = false;
      httpStatus = rng.pick([400, 401, 403, 422]);
      message = httpStatus === 401 || httpStatus === 403 ? `PermissionError: ${httpStatus}` : "ValidationError: invalid arguments";
    } else {
      hit = f.cacheMix && tool.cache !== undefined && rng.chance(tool.cache.hitRate * (0.55 + 0.45 * load));
      if (hit) dur = tool.cache!.hitMs * logNoise(rng, 0.35, null);
      else dur = tool.medianMs * logNoise(rng, tool.sigma, f.heavyTail ? tool.nu : null) * latencyFactor;
      if (inj?.kind === "spike") dur = inj.factor * tool.medianMs * Math.exp(0.1 * rng.normal());
      if (rng.chance(errorRate)) {
        ok = false;
        httpStatus = rng.pick([500, 502, 503, 504]);
        dur *= rng.uniform(0.2, 1);
        message = `HTTPStatusError: ${httpStatus} from backend`;
      }
      if (f.timeouts && tool.timeoutMs && dur > tool.timeoutMs) {
        dur = tool.timeoutMs + 1 + 3 * rng.next();
        ok = false;
        httpStatus = 0;
        message = `TimeoutError: ${tool.name} timed out after ${tool.timeoutMs / 1000}s`;
      }
    }
    const spanId = this.id();
    if (inj) this.injectedSpanId = spanId;
    const start = t;
    const end = t + dur + 0.2;
    const named = toolSpan(svc.flavour, tool, args, `call_${rng.hex(24)}`);
    if (!ok) named.attrs.push(["error.type", message!.split(":")[0]!]);
    this.push(named, agent.service, instance, parent, spanId, start, end, ok ? 0 : 2, message);
    const remote = f.lateService && tool.remote;
    let childParent = spanId;
    let childService = agent.service;
    let childInstance = instance;
    if (remote && !fastFail) {
      // The framework calls the MCP tool server over HTTP; the server's spans belong to mcp-tools.
      const mcp = this.service("mcp-tools");
      const httpId = this.id();
      this.push(httpSpan("POST", "mcp-tools.internal", "/mcp", ok ? 200 : 500), agent.service, instance, spanId, httpId, start + 0.1, end - 0.1, ok ? 0 : 2);
      const serverId = this.id();
      childInstance = rng.int(0, mcp.replicas - 1);
      childService = "mcp-tools";
      const net = networkMs(rng, true, f.heavyTail);
      this.push(mcpServerSpan(tool.name, this.session), "mcp-tools", childInstance, httpId, serverId, start + 0.1 + net, end - 0.1 - net * 0.8, ok ? 0 : 2, message);
      childParent = serverId;
    }
    if (!fastFail && tool.child && (svc.autoInstrumented || remote)) {
      const c = tool.child;
      const named2 = hit ? dbSpan("redis", "GET", tool.name) : c.kind === "http" ? httpSpan(c.method, c.host, c.route, httpStatus === 0 ? 504 : httpStatus) : dbSpan(c.system, c.operation, c.table);
      const s = start + 0.3 + (remote ? 1 : 0);
      const e = Math.max(s + 0.05, end - 0.3 - (remote ? 1 : 0));
      this.push(named2, childService, childInstance, childParent, this.id(), s, e, ok || (c.kind !== "http" && !hit) ? 0 : 2);
    }
    this.recordCalls(effects, end, spanId);
    const resultTokens = ok ? countAround(rng, tool.resultTokens[0], tool.resultTokens[1]) : fastFail ? -1 : 40;
    return { end, ok, resultTokens, spanId };
  }
}
