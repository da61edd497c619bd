import { describe, expect, it } from "vitest";
import { toJsonLogLine } from "./log-lines";

const now = new Date("2026-01-01T00:00:00Z");

describe("toJsonLogLine", () => {
  it.each([
    { name: "plain stdout is wrapped as info", line: "▲ Next.js 16", stream: "stdout" as const, expected: { level: "info", proc: "web", msg: "▲ Next.js 16" } },
    { name: "plain stderr is a warning", line: "deprecated thing", stream: "stderr" as const, expected: { level: "warn", proc: "web", msg: "deprecated thing" } },
    { name: "stderr mentioning an error is an error", line: "Error: boom", stream: "stderr" as const, expected: { level: "error", proc: "web", msg: "Error: boom" } },
    { name: "JSON events pass through and keep their proc", line: '{"level":"info","msg":"hi","proc":"worker:scorer"}', stream: "stdout" as const, expected: { level: "info", proc: "worker:scorer", msg: "hi" } },
    { name: "JSON without level is wrapped", line: '{"a":1}', stream: "stdout" as const, expected: { level: "info", proc: "web", msg: '{"a":1}' } },
  ])("$name", ({ line, stream, expected }) => {
    expect(JSON.parse(toJsonLogLine(line, "web", stream, now)!)).toMatchObject(expected);
  });

  it("drops blank lines", () => {
    expect(toJsonLogLine("   ", "web", "stdout", now)).toBeNull();
  });
});
