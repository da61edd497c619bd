import { describe, expect, it } from "vitest";
import { parseSince } from "./parse-since";

const NOW = new Date("2026-12-07T12:00:00.000Z");

describe("parseSince", () => {
  const cases: { text: string; expected: string | null }[] = [
    { text: "30m", expected: "2026-12-07T11:30:00.000Z" },
    { text: "12h", expected: "2026-12-07T00:00:00.000Z" },
    { text: "7d", expected: "2026-11-30T12:00:00.000Z" },
    { text: "400d", expected: "2025-11-02T12:00:00.000Z" },
    { text: "2026-12-01", expected: "2026-12-01T00:00:00.000Z" },
    { text: "2026-12-01T08:00:00Z", expected: "2026-12-01T08:00:00.000Z" },
    { text: "1764576000000", expected: "2025-12-01T08:00:00.000Z" },
    { text: "7 days", expected: null },
    { text: "7w", expected: null },
    { text: "yesterday", expected: null },
    { text: "2026-13-45", expected: null },
  ];
  it.each(cases)("$text", ({ text, expected }) => expect(parseSince(text, NOW)?.toISOString() ?? null).toBe(expected));
});
