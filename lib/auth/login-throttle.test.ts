import { describe, expect, it } from "vitest";
import { decideAttempt, delayAfter, type ThrottleRule, type ThrottleState } from "./login-throttle";

const rule: ThrottleRule = { free: 3, baseDelayMs: 1_000, maxDelayMs: 8_000, resetAfterMs: 60_000 };

describe("delayAfter", () => {
  it.each([
    [1, 0], [3, 0], [4, 1_000], [5, 2_000], [6, 4_000], [7, 8_000], [20, 8_000],
  ])("%i failures → %i ms", (failures, ms) => expect(delayAfter(failures, rule)).toBe(ms));
});

describe("decideAttempt", () => {
  const at = (failures: number, blockedUntilMs: number, expiresAtMs = 1e12): ThrottleState => ({ failures, blockedUntilMs, expiresAtMs });
  const cases: Array<{ name: string; state: ThrottleState | null; now: number; expected: ReturnType<typeof decideAttempt> }> = [
    { name: "first attempt", state: null, now: 1_000, expected: { allowed: true, next: { failures: 1, blockedUntilMs: 1_000, expiresAtMs: 61_000 } } },
    { name: "within the free attempts", state: at(2, 500), now: 1_000, expected: { allowed: true, next: { failures: 3, blockedUntilMs: 1_000, expiresAtMs: 61_000 } } },
    { name: "the first delayed attempt sets a wait", state: at(3, 500), now: 1_000, expected: { allowed: true, next: { failures: 4, blockedUntilMs: 2_000, expiresAtMs: 62_000 } } },
    { name: "during the wait: refused with the time left", state: at(4, 2_000), now: 1_500, expected: { allowed: false, retryAfterMs: 500 } },
    { name: "after the wait: allowed, the next wait doubles", state: at(4, 2_000), now: 2_000, expected: { allowed: true, next: { failures: 5, blockedUntilMs: 4_000, expiresAtMs: 64_000 } } },
    { name: "an expired counter starts over", state: at(9, 500, 900), now: 1_000, expected: { allowed: true, next: { failures: 1, blockedUntilMs: 1_000, expiresAtMs: 61_000 } } },
  ];
  it.each(cases)("$name", ({ state, now, expected }) => expect(decideAttempt(state, now, rule)).toEqual(expected));
});
