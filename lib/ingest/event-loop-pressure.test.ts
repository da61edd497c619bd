import { describe, expect, it } from "vitest";
import { EventLoopPressure } from "./event-loop-pressure";

describe("EventLoopPressure", () => {
  const cases: Array<{ name: string; maxLagMs: number; readings: Array<[lagMs: number, at: number]>; at: number; overloaded: boolean }> = [
    { name: "no lag", maxLagMs: 500, readings: [[5, 0], [8, 50]], at: 100, overloaded: false },
    { name: "lag over the limit just now", maxLagMs: 500, readings: [[900, 1000]], at: 1050, overloaded: true },
    { name: "held for a second after the lag", maxLagMs: 500, readings: [[900, 1000], [3, 1500]], at: 1900, overloaded: true },
    { name: "released a second after the lag", maxLagMs: 500, readings: [[900, 1000], [3, 1500]], at: 2001, overloaded: false },
    { name: "lag equal to the limit is fine", maxLagMs: 500, readings: [[500, 0]], at: 10, overloaded: false },
    { name: "disabled with 0", maxLagMs: 0, readings: [[5000, 0]], at: 10, overloaded: false },
  ];
  it.each(cases)("$name", ({ maxLagMs, readings, at, overloaded }) => {
    const gauge = new EventLoopPressure(maxLagMs);
    for (const [lag, when] of readings) gauge.record(lag, when);
    expect(gauge.overloaded(at)).toBe(overloaded);
    gauge.stop();
  });
});
