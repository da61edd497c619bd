import { describe, expect, it } from "vitest";
import { decodeCursor, decodeTimeCursor, encodeCursor, encodeTimeCursor, type CursorValue } from "./cursor";

const raw = (json: string) => Buffer.from(json).toString("base64url");

describe("decodeCursor", () => {
  it.each<[string, CursorValue]>([
    ["a numeric sort value", [0.25, "trace-1"]],
    ["a negative number", [-1, "b"]],
    ["a nanosecond start as a string", ["1767225600000000000", "4bf92f3577b34da6a3ce929d0e0e4736"]],
    ["an ISO time", ["2026-01-02T03:04:05.678Z", "cmabc123"]],
    ["an empty id", [7, ""]],
  ])("round-trips %s", (_name, value) => {
    expect(decodeCursor(encodeCursor(value))).toEqual(value);
  });

  it.each<[string, string]>([
    ["not base64url JSON", "zzz"],
    ["empty", ""],
    ["an object", raw('{"at":1,"id":"x"}')],
    ["a string", raw('"x"')],
    ["one element", raw("[1]")],
    ["three elements", raw('[1,"x","y"]')],
    ["a numeric id", raw("[1,2]")],
    ["a boolean sort value", raw('[true,"x"]')],
    ["a null sort value", raw('[null,"x"]')],
    ["truncated JSON", raw('[1,"x"')],
  ])("refuses %s with bad_request", (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: "bad_request", message: expect.stringMatching(/^Invalid cursor/) }));
  });
});

describe("decodeTimeCursor", () => {
  it("round-trips a time and id", () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    expect(decodeTimeCursor(encodeTimeCursor(at, "cmabc123"))).toEqual({ at, id: "cmabc123" });
  });

  it("reads the wire format [ISO time, id]", () => {
    expect(encodeTimeCursor(new Date("2026-01-02T03:04:05.678Z"), "a1")).toBe(raw('["2026-01-02T03:04:05.678Z","a1"]'));
  });

  it.each<[string, string]>([
    ["garbage", "zzz"],
    ["a sort value that is no time", raw('["yesterday","x"]')],
    ["a numeric id", raw('["2026-01-02T03:04:05.678Z",5]')],
  ])("refuses %s with bad_request", (_name, cursor) => {
    expect(() => decodeTimeCursor(cursor)).toThrow(expect.objectContaining({ code: "bad_request" }));
  });
});
