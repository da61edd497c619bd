import { describe, expect, it } from "vitest";
import { COLLAPSE_CHARS, COLLAPSE_LINES, conversationText, isLongText, messageText } from "./plain-text";
import type { ChatMessage } from "./types";

const message: ChatMessage = {
  role: "assistant",
  name: "planner",
  parts: [
    { type: "text", text: "Checking." },
    { type: "tool_call", id: "1", name: "search", arguments: '{\n  "q": "x"\n}' },
    { type: "tool_result", id: "1", name: "search", content: "found" },
    { type: "other", label: "image", content: "https://a.test/i.png" },
  ],
};

describe("plain text of chat content", () => {
  it("joins the parts of a message", () => {
    expect(messageText(message)).toBe('Checking.\n\nsearch({\n  "q": "x"\n})\n\nfound\n\n[image] https://a.test/i.png');
  });
  it("labels each message of a conversation with its role and name", () => {
    expect(conversationText([{ role: "user", name: null, parts: [{ type: "text", text: "hi" }] }, { ...message, parts: [{ type: "reasoning", text: "hm" }] }])).toBe("user:\nhi\n\nassistant (planner):\nhm");
  });
});

describe("isLongText", () => {
  it.each([
    ["short text", "hello", false],
    ["at the character limit", "x".repeat(COLLAPSE_CHARS), false],
    ["over the character limit", "x".repeat(COLLAPSE_CHARS + 1), true],
    ["at the line limit", Array(COLLAPSE_LINES).fill("l").join("\n"), false],
    ["over the line limit", Array(COLLAPSE_LINES + 1).fill("l").join("\n"), true],
  ])("%s", (_name, text, expected) => {
    expect(isLongText(text)).toBe(expected);
  });
});
