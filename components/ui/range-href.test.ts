import { describe, expect, it } from "vitest";
import { isRange, withRange } from "./range-href";

describe("withRange", () => {
  it.each([
    ["a ranged page", "/traces", "1h", "/traces?range=1h"],
    ["the overview", "/", "6h", "/?range=6h"],
    ["keeps other parameters", "/traces?agent=a%20b&status=error", "1h", "/traces?agent=a+b&status=error&range=1h"],
    ["keeps a hash", "/anomalies#top", "7d", "/anomalies?range=7d#top"],
    ["a link with its own range wins", "/traces?range=24h", "1h", "/traces?range=24h"],
    ["a page without a range", "/alerts", "1h", "/alerts"],
    ["a trace page", "/traces/abc?span=1", "1h", "/traces/abc?span=1"],
    ["a user's sessions", "/sessions?userId=u%201", "6h", "/sessions?userId=u+1&range=6h"],
    ["the users", "/users", "7d", "/users?range=7d"],
    ["a session page", "/sessions/conv-1", "1h", "/sessions/conv-1"],
    ["no range to add", "/traces", null, "/traces"],
    ["an unknown range", "/traces", "2h", "/traces"],
    ["another origin", "https://example.com/traces", "1h", "https://example.com/traces"],
    ["a protocol-relative link", "//example.com/traces", "1h", "//example.com/traces"],
  ])("%s", (_name, href, range, expected) => {
    expect(withRange(href, range)).toBe(expected);
  });
});

describe("isRange", () => {
  it.each([["1h", true], ["30d", true], ["2h", false], ["", false], [null, false], [1, false]])("%s → %s", (value, expected) => {
    expect(isRange(value)).toBe(expected);
  });
});
