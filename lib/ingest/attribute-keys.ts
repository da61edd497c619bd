// Which attributes feed each normalized field, highest precedence first (docs/semantic-conventions.md).
// Conventions: OTel GenAI (gen_ai.*, current and deprecated keys), OpenInference (llm.*, openinference.*),
// OpenLLMetry / Traceloop (traceloop.*, llm.usage.*, gen_ai.prompt.N.*), Vercel AI SDK (ai.*).

export const KEYS = {
  operation: ["gen_ai.operation.name", "llm.request.type"],
  provider: ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system", "ai.model.provider"],
  model: ["gen_ai.request.model", "llm.model_name", "llm.request.model", "ai.model.id", "gen_ai.response.model", "llm.response.model", "ai.response.model"],
  responseModel: ["gen_ai.response.model", "llm.response.model", "ai.response.model"],
  inputTokens: [
    "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "llm.usage.prompt_tokens",
    "ai.usage.inputTokens", "ai.usage.promptTokens",
  ],
  outputTokens: [
    "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion", "llm.usage.completion_tokens",
    "ai.usage.outputTokens", "ai.usage.completionTokens",
  ],
  totalTokens: ["llm.usage.total_tokens", "llm.token_count.total", "gen_ai.usage.total_tokens", "ai.usage.totalTokens"],
  cachedTokens: [
    "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read",
    "llm.usage.cache_read_input_tokens", "ai.usage.cachedInputTokens",
  ],
  cacheWriteTokens: [
    "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens", "llm.token_count.prompt_details.cache_write",
    "llm.usage.cache_creation_input_tokens",
  ],
  reasoningTokens: [
    "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens", "llm.token_count.completion_details.reasoning",
    "llm.usage.reasoning_tokens", "ai.usage.reasoningTokens",
  ],
  cost: ["gen_ai.usage.cost", "llm.cost.total", "llm.usage.cost", "ai.usage.cost"],
  agent: ["gen_ai.agent.name", "agent.name"],
  tool: ["gen_ai.tool.name", "tool.name", "ai.toolCall.name"],
  // Not OpenInference's tool.parameters: LlamaIndex writes the tool's JSON schema there (the same for every
  // call), and the call's own arguments to input.value.
  toolArgs: ["gen_ai.tool.call.arguments", "ai.toolCall.args"],
  toolResult: ["gen_ai.tool.call.result", "ai.toolCall.result"],
  session: [
    "gen_ai.conversation.id", "session.id", "traceloop.association.properties.session_id", "ai.telemetry.metadata.sessionId",
    "langfuse.session.id",
  ],
  user: ["user.id", "enduser.id", "traceloop.association.properties.user_id", "ai.telemetry.metadata.userId", "langfuse.user.id"],
  input: ["gen_ai.input.messages", "input.value", "gen_ai.prompt", "ai.prompt.messages", "ai.prompt", "traceloop.entity.input"],
  output: ["gen_ai.output.messages", "output.value", "gen_ai.completion", "ai.response.text", "ai.response.object", "traceloop.entity.output"],
} as const;

/** openinference.span.kind values. */
export const OPENINFERENCE_KIND: Record<string, string> = {
  LLM: "llm", TOOL: "tool", AGENT: "agent", CHAIN: "chain", RETRIEVER: "retriever", RERANKER: "retriever", EMBEDDING: "embedding",
  GUARDRAIL: "other", EVALUATOR: "other", PROMPT: "other",
};

/** gen_ai.operation.name values (and Traceloop's llm.request.type). */
export const OPERATION_KIND: Record<string, string> = {
  chat: "llm", text_completion: "llm", completion: "llm", generate_content: "llm", responses: "llm",
  embeddings: "embedding", embedding: "embedding", execute_tool: "tool", invoke_agent: "agent", create_agent: "agent",
  rerank: "retriever",
};

/** traceloop.span.kind values. */
export const TRACELOOP_KIND: Record<string, string> = { workflow: "chain", task: "chain", agent: "agent", tool: "tool" };

/** Vercel AI SDK span names (ai.operationId): the doGenerate/doStream inner spans are the model calls. */
export function vercelKind(operationId: string): string | null {
  if (/\.do(Generate|Stream)$/.test(operationId)) return "llm";
  if (/^ai\.embed(Many)?\.doEmbed$/.test(operationId)) return "embedding";
  if (operationId === "ai.toolCall") return "tool";
  if (operationId.startsWith("ai.")) return "chain";
  return null;
}
