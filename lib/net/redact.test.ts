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
    // Audit of issue 17, gap 9: an unencoded "@" in the password left its tail in the text.
    ["unencoded @ in the password", "https://u:p@ss@host/x", "https://[redacted]@host/x"],
    ["several unencoded @", "https://u@corp:p@s@s@host:8443/x", "https://[redacted]@host:8443/x"],
    ["unencoded @ and no path", "failed: https://u:p@ss@host", "failed: https://[redacted]@host"],
    ["two URLs, each with @ in the password", "a https://u:p@1@h1/x b https://v:q@2@h2?y", "a https://[redacted]@h1/x b https://[redacted]@h2?y"],
    ["@ in the query after credentials stays", "https://u:p@ss@h/x?to=a@b.c#f@g", "https://[redacted]@h/x?to=a@b.c#f@g"],
    ["@ in the path without credentials stays", "https://h/people/@me", "https://h/people/@me"],
    ["@ in the fragment without credentials stays", "https://h#x@y", "https://h#x@y"],
    ["upper-case scheme", "HTTPS://U:P@SS@H/X", "HTTPS://[redacted]@H/X"],
    ["colon in the password", "https://u:p:a@ss@h/", "https://[redacted]@h/"],
  ])("%s", (_name, input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });
});
