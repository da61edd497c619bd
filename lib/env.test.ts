import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("defaults to a SQLite file under ./data on port 3000", () => {
    const env = parseEnv({});
    expect(env.databaseProvider).toBe("sqlite");
    expect(env.databaseTarget).toMatch(/data\/argus\.db$/);
    expect(env.PORT).toBe(3000);
    expect(env.publicUrl).toBe("http://localhost:3000");
    expect(env.ARGUS_MAX_INFLIGHT_INGEST_PER_KEY).toBe(12);
    expect(env.ARGUS_PASSWORD_LOGIN).toBe(true);
    expect(env.ARGUS_OIDC_DEFAULT_ROLE).toBe("viewer");
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
    { name: "a short encryption key (value hidden)", source: { ARGUS_ENCRYPTION_KEY: "dG9vLXNob3J0" }, message: /ARGUS_ENCRYPTION_KEY must be 32 bytes.*\(value hidden\)/ },
    { name: "a bad outbound allowlist entry", source: { ARGUS_OUTBOUND_ALLOW: "10.0.0.0/40" }, message: /ARGUS_OUTBOUND_ALLOW '10\.0\.0\.0\/40' has an invalid prefix length/ },
    { name: "an SMTP URL of another scheme", source: { ARGUS_SMTP_URL: "http://mail" }, message: /ARGUS_SMTP_URL must start with smtp/ },
    { name: "half a single sign-on configuration", source: { ARGUS_OIDC_ISSUER: "https://idp.example" }, message: /needs ARGUS_OIDC_ISSUER, ARGUS_OIDC_CLIENT_ID and ARGUS_OIDC_CLIENT_SECRET together/ },
    { name: "an http issuer elsewhere than this machine", source: { ARGUS_OIDC_ISSUER: "http://idp.example", ARGUS_OIDC_CLIENT_ID: "a", ARGUS_OIDC_CLIENT_SECRET: "b" }, message: /must be an https URL/ },
    { name: "password sign-in off without single sign-on", source: { ARGUS_PASSWORD_LOGIN: "false" }, message: /ARGUS_PASSWORD_LOGIN=false needs single sign-on/ },
    { name: "a role map entry without a role", source: { ARGUS_OIDC_ROLE_MAP: "admins" }, message: /ARGUS_OIDC_ROLE_MAP 'admins' must be/ },
    { name: "owner as the role of unmapped single sign-on users", source: { ARGUS_OIDC_DEFAULT_ROLE: "owner" }, message: /ARGUS_OIDC_DEFAULT_ROLE .*"member"\|"viewer"\|"none"/ },
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
