import { describe, expect, it } from "vitest";
import { redactUrlCredentials } from "./redact";

describe("redactUrlCredentials", () => {
  it.each([
    ["user and password", "https://u:pw@hooks.example/x", "https://[redacted]@hooks.example/x"],
    ["user only", "http://token@host:8080/p", "http://[redacted]@host:8080/p"],
    ["inside a sentence", "fetch https://a:b@h/x failed; retry https://c:d@h2", "fetch https://[redacted]@h/x failed; retry https://[redacted]@h2"],
    ["percent-encoded password", "https://u:p%40ss@h/", "https://[redacted]@h/"],
    ["postgres URL", "postgres://argus:secret@db:5432/argus", "postgres://[redacted]@db:5432/argus"],
    ["no credentials", "https://hooks.example/x?a=b@c", "https://hooks.example/x?a=b@c"],
    ["an email address is not a URL", "mail admin@example.com", "mail admin@example.com"],
  ])("%s", (_name, input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });
});
