// Span names, scopes and attributes as each instrumentation flavour emits them: OTel GenAI semantic
// conventions (plus HTTP/DB auto-instrumentation and MCP server spans), OpenInference as LangChain and
// as LlamaIndex instrumentations write it.
import type { Flavour, ModelSpec, ToolSpec } from "./catalog";
import type { Attr } from "./types";

export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

export interface Named {
  name: string;
  scope: string;
  otelKind: number;
  attrs: Attr[];
}

export function agentSpan(flavour: Flavour, agent: string, session: string): Named {
  if (flavour === "genai") {
    return { name: `invoke_agent ${agent}`, scope: "agent-framework", otelKind: 1, attrs: [["gen_ai.operation.name", "invoke_agent"], ["gen_ai.agent.name", agent], ["gen_ai.conversation.id", session]] };
  }
  const name = flavour === "oi-llamaindex" ? "FunctionAgent.run" : agent;
  const scope = flavour === "oi-llamaindex" ? "openinference.instrumentation.llama_index" : "openinference.instrumentation.langchain";
  return { name, scope, otelKind: 1, attrs: [["openinference.span.kind", "AGENT"], ["agent.name", agent], ["session.id", session], ["input.mime_type", "text/plain"]] };
}

/** `reportedInput`: what the instrumentation writes as prompt tokens (some report the provider's raw, cache-exclusive count). */
export function llmSpan(
  flavour: Flavour, model: ModelSpec, responseModel: string, usage: Usage, reportedInput: number, finish: string, maxTokens: number, cost: number | null,
): Named {
  if (flavour === "genai") {
    const attrs: Attr[] = [
      ["gen_ai.operation.name", "chat"], ["gen_ai.provider.name", model.provider], ["gen_ai.request.model", model.name], ["gen_ai.response.model", responseModel],
      ["gen_ai.request.max_tokens", maxTokens], ["gen_ai.request.temperature", 0.2], ["gen_ai.response.finish_reasons", [finish]],
      ["gen_ai.usage.input_tokens", reportedInput], ["gen_ai.usage.output_tokens", usage.output],
      ["server.address", serverAddress(model)],
    ];
    if (usage.cacheRead > 0) attrs.push(["gen_ai.usage.cache_read.input_tokens", usage.cacheRead]);
    if (usage.cacheWrite > 0) attrs.push(["gen_ai.usage.cache_creation.input_tokens", usage.cacheWrite]);
    if (usage.reasoning > 0) attrs.push(["gen_ai.usage.reasoning.output_tokens", usage.reasoning]);
    if (cost !== null) attrs.push(["gen_ai.usage.cost", cost]);
    return { name: `chat ${model.name}`, scope: "opentelemetry.instrumentation.openai_v2", otelKind: 3, attrs };
  }
  const attrs: Attr[] = [
    ["openinference.span.kind", "LLM"], ["llm.model_name", responseModel], ["llm.provider", model.provider], ["llm.system", model.provider],
    ["llm.invocation_parameters", JSON.stringify({ max_tokens: maxTokens, temperature: 0.2 })],
    ["llm.token_count.prompt", reportedInput], ["llm.token_count.completion", usage.output], ["llm.token_count.total", reportedInput + usage.output],
  ];
  if (usage.cacheRead > 0) attrs.push(["llm.token_count.prompt_details.cache_read", usage.cacheRead]);
  if (usage.cacheWrite > 0) attrs.push(["llm.token_count.prompt_details.cache_write", usage.cacheWrite]);
  if (cost !== null) attrs.push(["llm.cost.total", cost]);
  if (flavour === "oi-llamaindex") return { name: model.provider === "ollama" ? "Ollama.achat" : "OpenAI.achat", scope: "openinference.instrumentation.llama_index", otelKind: 1, attrs };
  return { name: model.provider === "anthropic" ? "ChatAnthropic" : "ChatOpenAI", scope: "openinference.instrumentation.langchain", otelKind: 1, attrs };
}

export function toolSpan(flavour: Flavour, tool: ToolSpec, args: string, callId: string): Named {
  if (flavour === "genai") {
    return {
      name: `execute_tool ${tool.name}`, scope: "agent-framework", otelKind: 1,
      attrs: [["gen_ai.operation.name", "execute_tool"], ["gen_ai.tool.name", tool.name], ["gen_ai.tool.type", "function"], ["gen_ai.tool.call.id", callId], ["gen_ai.tool.call.arguments", args]],
    };
  }
  if (flavour === "oi-llamaindex") {
    // The LlamaIndex handler writes the tool's parameter schema (the same for every call) to
    // tool.parameters; the call's own arguments go to input.value.
    return {
      name: "FunctionTool.acall", scope: "openinference.instrumentation.llama_index", otelKind: 1,
      attrs: [["openinference.span.kind", "TOOL"], ["tool.name", tool.name], ["tool.description", `${tool.name.replace(/_/g, " ")} tool`],
        ["tool.parameters", JSON.stringify({ type: "object", properties: { input: { type: "string" } }, required: ["input"], title: tool.name })],
        ["input.value", args], ["input.mime_type", "application/json"]],
    };
  }
  return {
    name: tool.name, scope: "openinference.instrumentation.langchain", otelKind: 1,
    attrs: [["openinference.span.kind", "TOOL"], ["tool.name", tool.name], ["tool.description", `${tool.name.replace(/_/g, " ")} tool`], ["input.value", args], ["input.mime_type", "application/json"]],
  };
}

export function embeddingSpan(flavour: Flavour, model: ModelSpec, inputTokens: number): Named {
  if (flavour === "genai") {
    return {
      name: `embeddings ${model.name}`, scope: "opentelemetry.instrumentation.openai_v2", otelKind: 3,
      attrs: [["gen_ai.operation.name", "embeddings"], ["gen_ai.provider.name", model.provider], ["gen_ai.request.model", model.name], ["gen_ai.usage.input_tokens", inputTokens]],
    };
  }
  return {
    name: flavour === "oi-llamaindex" ? "OpenAIEmbedding.aget_query_embedding" : "OpenAIEmbeddings", scope: `openinference.instrumentation.${flavour === "oi-llamaindex" ? "llama_index" : "langchain"}`, otelKind: 1,
    attrs: [["openinference.span.kind", "EMBEDDING"], ["embedding.model_name", model.name], ["llm.token_count.prompt", inputTokens], ["llm.token_count.total", inputTokens]],
  };
}

export function retrieverSpan(flavour: Flavour, topK: number): Named {
  if (flavour === "genai") {
    return { name: "qdrant.search", scope: "opentelemetry.instrumentation.qdrant", otelKind: 3, attrs: [["db.system.name", "qdrant"], ["db.operation.name", "search"], ["db.collection.name", "kb_chunks"], ["db.query.limit", topK]] };
  }
  return {
    name: flavour === "oi-llamaindex" ? "VectorIndexRetriever.aretrieve" : "VectorStoreRetriever", scope: `openinference.instrumentation.${flavour === "oi-llamaindex" ? "llama_index" : "langchain"}`, otelKind: 1,
    attrs: [["openinference.span.kind", "RETRIEVER"], ["input.mime_type", "text/plain"]],
  };
}

export function httpSpan(method: string, host: string, route: string, status: number): Named {
  const attrs: Attr[] = [["http.request.method", method], ["server.address", host], ["url.full", `https://${host}${route}`], ["http.response.status_code", status]];
  if (status >= 400) attrs.push(["error.type", String(status)]);
  return { name: method, scope: "opentelemetry.instrumentation.httpx", otelKind: 3, attrs };
}

export function dbSpan(system: string, operation: string, table: string): Named {
  const name = system === "redis" ? operation : `${operation} ${table}`;
  return { name, scope: system === "redis" ? "opentelemetry.instrumentation.redis" : "opentelemetry.instrumentation.psycopg", otelKind: 3, attrs: [["db.system.name", system], ["db.operation.name", operation], ["db.collection.name", table]] };
}

/** The MCP tool server's span for one tools/call (OTel MCP semantic conventions). */
export function mcpServerSpan(tool: string, session: string): Named {
  return {
    name: `tools/call ${tool}`, scope: "mcp-server", otelKind: 2,
    attrs: [["mcp.method.name", "tools/call"], ["gen_ai.operation.name", "execute_tool"], ["gen_ai.tool.name", tool], ["mcp.session.id", session], ["jsonrpc.protocol.version", "2.0"], ["network.transport", "tcp"]],
  };
}

function serverAddress(model: ModelSpec): string {
  switch (model.provider) {
    case "openai":
      return "api.openai.com";
    case "anthropic":
      return "api.anthropic.com";
    case "gcp.gemini":
      return "generativelanguage.googleapis.com";
    default:
      return "llm-gpu-01.internal";
  }
}

export function llmEndpoint(model: ModelSpec): { host: string; route: string } {
  const host = serverAddress(model);
  if (model.provider === "anthropic") return { host, route: "/v1/messages" };
  if (model.provider === "gcp.gemini") return { host, route: `/v1beta/models/${model.name}:generateContent` };
  return { host, route: "/v1/chat/completions" };
}
