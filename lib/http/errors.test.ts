import { describe, expect, it } from "vitest";
import { httpStatus, toAppError } from "./errors";

const err = (code: string) => Object.assign(new Error("x"), { code });

describe("toAppError", () => {
  const cases: Array<{ name: string; error: unknown; status: number; retryAfter?: string }> = [
    { name: "busy → 503 retry in 5 s", error: err("SQLITE_BUSY"), status: 503, retryAfter: "5" },
    { name: "disk full → 503 retry in 30 s", error: err("SQLITE_FULL"), status: 503, retryAfter: "30" },
    { name: "unknown → 500", error: new Error("boom"), status: 500 },
  ];
  it.each(cases)("$name", ({ error, status, retryAfter }) => {
    const e = toAppError(error);
    expect(httpStatus(e)).toBe(status);
    expect(e.headers["Retry-After"]).toBe(retryAfter);
  });
});
