import { describe, expect, it } from "vitest";
import { PREVIEW_CHARS, preview } from "./previews";

const of = (text: string) => preview({ "input.value": text }, ["input.value"], "gen_ai.prompt.");
const word = "abcdefghij";

describe("preview clipping", () => {
  it.each([
    ["collapses whitespace runs and trims", "  hello \\t\\n  world \\u00a0 !  ", "hello world !"],
    ["keeps a text of PREVIEW_CHARS - 1 characters whole", "x".repeat(PREVIEW_CHARS - 1), "x".repeat(PREVIEW_CHARS - 1)],
    ["cuts a text of PREVIEW_CHARS characters with an ellipsis", "x".repeat(PREVIEW_CHARS), `${"x".repeat(PREVIEW_CHARS - 1)}…`],
    ["finds the text after a long run of whitespace", `${" ".repeat(5_000)}late start`, "late start"],
    ["counts characters after collapsing, not before", `${`${word}${" ".repeat(50)}`.repeat(40)}`, `${`${word} `.repeat(40).trim().slice(0, PREVIEW_CHARS - 1)}…`],
  ])("%s", (_name, input, expected) => {
    const text = input.replaceAll("\\t", "\t").replaceAll("\\n", "\n").replaceAll("\\u00a0", "\u00a0");
    expect(of(text)).toBe(expected);
  });
});

describe("preview whitespace collapsing", () => {
  // The reference definition: every run of whitespace becomes one space, ends trimmed.
  const reference = (text: string) => text.replace(/[\t-\r \u00a0]+/g, " ").trim();
  const alphabet = ["a", "b", " ", " ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "é"];

  it("matches the reference on random mixes of words and whitespace", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 2_000; i++) {
      const length = Math.floor(next() * 60);
      const text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]!).join("");
      expect(of(text) ?? "", JSON.stringify(text)).toBe(reference(text));
    }
  });
});
