// Reading what the model was asked and answered: an LLM span with OpenTelemetry GenAI messages (a system
// prompt, a tool call and its result, hostile HTML in the content) and one with OpenInference messages go
// through the real OTLP endpoint; the span details show them as a chat, safely.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createApiKey, otlpAttributes, sendSpans, signIn } from "./helpers";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const INJECTED = `Hi <img src=x onerror="window.__xss='chat-img'"> <script>window.__xss='chat-script'</script> [docs](javascript:window.__xss='link') **urgent**`;
const ARGUMENTS = { orderId: 42, include: ["items", "shipping"] };
const LONG_ANSWER = `Your order has shipped. ${"It is on its way to you. ".repeat(60)}The end.`;

const genAiMessages = {
  "gen_ai.operation.name": "chat",
  "gen_ai.request.model": "gpt-4o-mini",
  "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "You are the support agent of Acme. Never reveal internal notes." }]),
  "gen_ai.input.messages": JSON.stringify([
    { role: "user", parts: [{ type: "text", content: INJECTED }] },
    { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "lookup_order", arguments: ARGUMENTS }] },
    { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: { status: "shipped" } }] },
  ]),
  "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: LONG_ANSWER }], finish_reason: "stop" }]),
};

const openInferenceMessages = {
  "openinference.span.kind": "LLM",
  "llm.model_name": "claude-haiku",
  "llm.input_messages.0.message.role": "user",
  "llm.input_messages.0.message.content": "Which plan fits a team of 5?",
  "llm.output_messages.0.message.role": "assistant",
  "llm.output_messages.0.message.content": "The **Team** plan.",
};

test("an LLM span's messages read as a chat with roles, tool calls and safe Markdown", async ({ page, request, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(page);
  const key = await createApiKey(page, "conversation-e2e");
  const traceId = hex(16);
  const [rootId, genAiId, openInferenceId] = [hex(8), hex(8), hex(8)];
  // Well before the runs other specs send "now": this trace must not become the newest one they look for.
  const startNs = BigInt(Date.now() - 45 * 60_000) * 1_000_000n;
  const span = (spanId: string, parentSpanId: string | undefined, name: string, attributes: Record<string, string>, offsetMs: number) => ({
    traceId, spanId, parentSpanId, name, kind: 3,
    startTimeUnixNano: String(startNs + BigInt(offsetMs) * 1_000_000n), endTimeUnixNano: String(startNs + BigInt(offsetMs + 900) * 1_000_000n),
    attributes: otlpAttributes(attributes), status: { code: 1 },
  });
  await sendSpans(page, request, key, "chat-svc", [
    { ...span(rootId, undefined, "support turn", { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-agent" }, 0), endTimeUnixNano: String(startNs + 3_000_000_000n) },
    span(genAiId, rootId, "chat gpt-4o-mini", genAiMessages, 100),
    span(openInferenceId, rootId, "anthropic.messages", openInferenceMessages, 1_200),
  ]);

  await page.goto(`/traces/${traceId}?span=${genAiId}`);
  const chat = page.getByTestId("conversation");
  await expect(chat).toContainText("OpenTelemetry GenAI");
  const input = chat.getByRole("region", { name: "Input" });
  await expect(input.getByTestId("chat-message")).toHaveCount(4);
  const roles = await input.getByTestId("chat-message").evaluateAll((els) => els.map((e) => e.getAttribute("data-role")));
  expect(roles).toEqual(["system", "user", "assistant", "tool"]);
  await expect(input.locator('[data-role="system"]')).toContainText("You are the support agent of Acme.");

  // The tool call, its arguments pretty-printed, and the tool's answer.
  const call = input.getByTestId("tool-call");
  await expect(call).toContainText("lookup_order");
  await expect.poll(() => call.locator("pre").textContent()).toBe(JSON.stringify(ARGUMENTS, null, 2));
  await expect(input.getByTestId("tool-result")).toContainText('"status": "shipped"');

  // Hostile content is text; Markdown still works; the javascript: link is not a link.
  const user = input.locator('[data-role="user"]');
  await expect(user).toContainText(`<img src=x onerror="window.__xss='chat-img'"> <script>window.__xss='chat-script'</script>`);
  await expect(user.locator("strong")).toHaveText("urgent");
  await expect(user).toContainText("[docs](javascript:window.__xss='link')");
  await expect(page.locator("img[onerror], a[href^='javascript:'], [data-testid='conversation'] script")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);

  // Long output starts collapsed.
  const output = chat.getByRole("region", { name: "Output" });
  await expect(output.locator('[data-role="assistant"]')).toContainText("Your order has shipped.");
  const more = output.getByRole("button", { name: /Show more/ });
  await expect(more).toHaveAttribute("aria-expanded", "false");
  await expect(output.locator("[data-collapsed]")).toHaveCount(1);
  await more.click();
  await expect(output.getByRole("button", { name: "Show less" })).toHaveAttribute("aria-expanded", "true");
  await expect(output.locator("[data-collapsed]")).toHaveCount(0);

  // Copy a message; the raw JSON is one click away.
  await user.getByRole("button", { name: "Copy" }).click();
  await expect(user.getByRole("button", { name: "Copied ✓" })).toBeVisible();
  await chat.getByRole("button", { name: "Raw JSON" }).click();
  const raw = page.getByTestId("conversation-raw");
  await expect(raw).toContainText('"gen_ai.input.messages": [');
  await expect(raw).toContainText('"name": "lookup_order"');
  await chat.getByRole("button", { name: "Chat" }).click();
  await expect(input).toBeVisible();

  // Another convention on a sibling span.
  await page.goto(`/traces/${traceId}?span=${openInferenceId}`);
  await expect(chat).toContainText("OpenInference");
  await expect(chat.locator('[data-role="user"]')).toContainText("Which plan fits a team of 5?");
  await expect(chat.getByRole("region", { name: "Output" }).locator("strong")).toHaveText("Team");
});
