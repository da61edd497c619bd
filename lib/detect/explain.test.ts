import { describe, expect, it } from "vitest";
import { baselineExplanation, formatMs, formatUsd, spanLabel } from "./explain";

describe("explanations", () => {
  it.each([
    { name: "milliseconds", v: 850, out: "850 ms" },
    { name: "seconds", v: 8400, out: "8.4 s" },
    { name: "minutes", v: 126_000, out: "2.1 min" },
  ])("formatMs $name", ({ v, out }) => expect(formatMs(v)).toBe(out));
  it.each([
    { name: "cents", v: 0.84, out: "$0.84" },
    { name: "fractions of a cent", v: 0.0042, out: "$0.0042" },
  ])("formatUsd $name", ({ v, out }) => expect(formatUsd(v)).toBe(out));
  it("builds the issue's example line", () => {
    const label = spanLabel({ service: "checkout", agent: "support-agent", step: "search_web", model: "gpt-4o" });
    expect(baselineExplanation("latency", 8400, 1100, 2000, "ms", label)).toBe("latency 8.4 s vs usual 1.1 s (p99 2.0 s) for support-agent / search_web on gpt-4o");
  });
});
