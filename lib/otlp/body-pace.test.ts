import { describe, expect, it } from "vitest";
import { paceVerdict, type BodyPace } from "./body-pace";

const pace: BodyPace = { timeoutMs: 60_000, minBytesPerSec: 1024, graceMs: 5_000 };

describe("paceVerdict", () => {
  it.each([
    ["within the grace period, nothing yet", 4_999, 0, "ok"],
    ["after the grace period, at the minimum rate", 10_000, 10_240, "ok"],
    ["after the grace period, below it (one byte every 2 s)", 5_000, 3, "too_slow"],
    ["a fast body near the deadline", 59_999, 50_000_000, "ok"],
    ["at the deadline, however fast", 60_000, 50_000_000, "timeout"],
  ] as const)("%s", (_name, elapsed, bytes, expected) => {
    expect(paceVerdict(elapsed, bytes, pace)).toBe(expected);
  });

  it("a rate of 0 disables the rate check but not the deadline", () => {
    expect(paceVerdict(30_000, 1, { ...pace, minBytesPerSec: 0 })).toBe("ok");
    expect(paceVerdict(60_000, 1, { ...pace, minBytesPerSec: 0 })).toBe("timeout");
  });
});
