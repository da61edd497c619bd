import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("defaults to a SQLite file under ./data on port 3000", () => {
    const env = parseEnv({});
    expect(env.databaseProvider).toBe("sqlite");
    expect(env.databaseTarget).toMatch(/data\/argus\.db$/);
    expect(env.PORT).toBe(3000);
    expect(env.publicUrl).toBe("http://localhost:3000");
  });

  it.each([
    { name: "postgres URL selects PostgreSQL", source: { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/argus" }, provider: "postgresql" },
    { name: "postgresql scheme too", source: { DATABASE_URL: "postgresql://u:p@db/argus" }, provider: "postgresql" },
    { name: "file URL selects that SQLite file", source: { DATABASE_URL: "file:/tmp/x.db" }, provider: "sqlite" },
    { name: "empty DATABASE_URL is the default", source: { DATABASE_URL: "" }, provider: "sqlite" },
  ])("$name", ({ source, provider }) => {
    expect(parseEnv(source).databaseProvider).toBe(provider);
  });

  it.each([
    { name: "unsupported database scheme", source: { DATABASE_URL: "mysql://x" }, message: /DATABASE_URL must start with postgres/ },
    { name: "port out of range", source: { PORT: "70000" }, message: /PORT/ },
    { name: "port not a number", source: { PORT: "abc" }, message: /PORT/ },
    { name: "public URL not a URL", source: { ARGUS_PUBLIC_URL: "not a url" }, message: /ARGUS_PUBLIC_URL/ },
    { name: "short admin password", source: { ARGUS_ADMIN_PASSWORD: "short" }, message: /ARGUS_ADMIN_PASSWORD must be at least 8/ },
    { name: "unknown log level", source: { ARGUS_LOG_LEVEL: "loud" }, message: /ARGUS_LOG_LEVEL/ },
  ])("refuses $name with one line", ({ source, message }) => {
    expect(() => parseEnv(source)).toThrow(ConfigError);
    try {
      parseEnv(source);
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});
