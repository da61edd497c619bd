import { describe, expect, it } from "vitest";
import { evaluateWindow, windowStartFor } from "./rate-limit";

describe("rate limit windows", () => {
  it.each([
    ["start of a window", 60_000, 60_000, 60_000],
    ["inside a window", 119_999, 60_000, 60_000],
    ["zero", 0, 60_000, 0],
  ])("windowStartFor: %s", (_n, now, windowMs, expected) => {
    expect(windowStartFor(now, windowMs)).toBe(expected);
  });

  it.each([
    ["under the limit", 3, true, 0],
    ["at the limit", 5, true, 0],
    ["over the limit: retry when the window ends", 6, false, 40_000],
  ])("evaluateWindow: %s", (_n, count, allowed, retryAfterMs) => {
    expect(evaluateWindow(count, 0, { limit: 5, windowMs: 60_000 }, 20_000)).toEqual({ allowed, count, retryAfterMs });
  });
});
