import { describe, expect, it } from "vitest";
import { nextRestartDelay, type RestartPolicy } from "./restart-policy";

const policy: RestartPolicy = { initialMs: 500, maxMs: 4_000, stableAfterMs: 60_000 };

describe("nextRestartDelay", () => {
  it.each([
    { name: "first crash", failures: 0, uptimeMs: 100, delayMs: 500, after: 1 },
    { name: "second quick crash doubles", failures: 1, uptimeMs: 100, delayMs: 1_000, after: 2 },
    { name: "third quick crash doubles again", failures: 2, uptimeMs: 100, delayMs: 2_000, after: 3 },
    { name: "capped at maxMs", failures: 10, uptimeMs: 100, delayMs: 4_000, after: 11 },
    { name: "a long healthy run resets the backoff", failures: 10, uptimeMs: 61_000, delayMs: 500, after: 1 },
  ])("$name", ({ failures, uptimeMs, delayMs, after }) => {
    const result = nextRestartDelay({ consecutiveFailures: failures }, uptimeMs, policy);
    expect(result.delayMs).toBe(delayMs);
    expect(result.state.consecutiveFailures).toBe(after);
  });
});
