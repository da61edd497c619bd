// The only reader of process.env. Validated once; a bad value fails fast with one line.
import path from "node:path";
import { z } from "zod";
import { parseSecretKey } from "./crypto/secret-box";
import { DEFAULT_ROLES, parseRoleMap } from "./auth/oidc-claims";
import { parseOutboundAllow } from "./net/outbound-policy";

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.url({ protocol: /^https?$/ }).optional());

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

/** Rejects a value with the parser's own message (the value itself is not echoed: it may be secret). */
const checkedBy = (parse: (v: string) => unknown) =>
  optionalText.superRefine((v, ctx) => {
    if (v === undefined) return;
    try {
      parse(v);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  });

const booleanFlag = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: port.default(3000),
  ARGUS_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^(postgres(ql)?:\/\/|file:)/.test(v), {
      message: "must start with postgres://, postgresql:// or file:",
    }),
  ARGUS_PUBLIC_URL: optionalUrl,
  ARGUS_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  ARGUS_MAX_BODY_BYTES: positiveInt.default(16 * 1024 * 1024),
  ARGUS_MAX_INFLIGHT_INGEST: positiveInt.default(16),
  /** In-flight OTLP requests of one API key, so one key cannot take every slot; three quarters of ARGUS_MAX_INFLIGHT_INGEST when unset. */
  ARGUS_MAX_INFLIGHT_INGEST_PER_KEY: positiveInt.optional(),
  /** An OTLP body must arrive within this long (408 after). */
  ARGUS_BODY_TIMEOUT_MS: positiveInt.default(60_000),
  /** After the first seconds, a body arriving slower than this many bytes/s is cut off with 408; 0 disables. */
  ARGUS_BODY_MIN_BYTES_PER_SEC: z.coerce.number().int().min(0).default(1024),
  /** Scalar values per attribute set, nested arrays and key-value lists included. */
  ARGUS_MAX_ATTRIBUTE_VALUES: positiveInt.default(1024),
  /** Arrays and key-value lists nested deeper than this are dropped. */
  ARGUS_MAX_ATTRIBUTE_DEPTH: z.coerce.number().int().min(1).max(64).default(8),
  ARGUS_MAX_SPANS_PER_REQUEST: positiveInt.default(50_000),
  ARGUS_MAX_ATTRIBUTES_PER_SPAN: positiveInt.default(128),
  ARGUS_MAX_EVENTS_PER_SPAN: z.coerce.number().int().min(0).default(128),
  ARGUS_MAX_LINKS_PER_SPAN: z.coerce.number().int().min(0).default(128),
  ARGUS_MAX_ATTRIBUTE_CHARS: z.coerce.number().int().min(64).default(128 * 1024),
  ARGUS_RETENTION_BATCH: positiveInt.default(1000),
  ARGUS_RETENTION_PAUSE_MS: z.coerce.number().int().min(0).default(200),
  ARGUS_RETENTION_INTERVAL_MS: positiveInt.default(10 * 60_000),
  /** Days to keep audit entries; unset keeps them forever (project retention never touches them). docs/security.md#audit-trail */
  ARGUS_AUDIT_RETENTION_DAYS: positiveInt.optional(),
  /** How long a SQLite write waits for another connection's lock before failing (503). It blocks the process meanwhile. */
  ARGUS_SQLITE_BUSY_TIMEOUT_MS: positiveInt.default(5_000),
  /** Event-loop lag (ms) above which the OTLP endpoints answer 503 + Retry-After; 0 disables. */
  ARGUS_MAX_EVENT_LOOP_LAG_MS: z.coerce.number().int().min(0).default(1_000),
  ARGUS_TRACE_QUIET_MS: z.coerce.number().int().min(0).default(1000),
  ARGUS_TRACE_MAX_WAIT_MS: positiveInt.default(60_000),
  ARGUS_SCORER_PARTITIONS: z.coerce.number().int().min(1).max(64).default(1),
  ARGUS_SCORER_BATCH: positiveInt.default(10_000),
  ARGUS_SCORER_LEASE_MS: positiveInt.default(15_000),
  ARGUS_PRICES_FILE: z.string().optional(),
  ARGUS_SLACK_WEBHOOK_URL: optionalUrl,
  ARGUS_WEBHOOK_URL: optionalUrl,
  ARGUS_WEBHOOK_SECRET: z.string().optional(),
  ARGUS_ALERT_RESOLVE_AFTER_MS: positiveInt.default(30 * 60_000),
  ARGUS_ALERT_RENOTIFY_MS: z.coerce.number().int().min(0).default(4 * 60 * 60_000),
  ARGUS_DELIVERY_MAX_ATTEMPTS: positiveInt.default(8),
  ARGUS_DELIVERY_TIMEOUT_MS: positiveInt.default(10_000),
  /** Reverse proxies in front of Argus that append to X-Forwarded-For; the client address is read past them. */
  ARGUS_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Outbound requests (Slack, webhooks) may reach these non-public ranges, addresses or host names. */
  ARGUS_OUTBOUND_ALLOW: checkedBy(parseOutboundAllow),
  /** AES-256-GCM key of channel secrets at rest (32 bytes, base64 or hex); a generated key file otherwise. */
  ARGUS_ENCRYPTION_KEY: checkedBy(parseSecretKey),
  /** The key being replaced, for `argus secrets rotate`. */
  ARGUS_PREVIOUS_ENCRYPTION_KEY: checkedBy(parseSecretKey),
  /** smtp://user:password@host:587 (or smtps://): invitation links are also sent by mail. */
  ARGUS_SMTP_URL: checkedBy((v) => {
    if (!/^smtps?:\/\//.test(v)) throw new Error("must start with smtp:// or smtps://");
    new URL(v);
  }),
  ARGUS_SMTP_FROM: optionalText,
  /** false: only single sign-on signs users in (password sign-in and first-run setup are off). */
  ARGUS_PASSWORD_LOGIN: booleanFlag.default(true),
  ARGUS_OIDC_ISSUER: optionalUrl,
  ARGUS_OIDC_CLIENT_ID: optionalText,
  ARGUS_OIDC_CLIENT_SECRET: optionalText,
  /** The sign-in button's label. */
  ARGUS_OIDC_NAME: z.string().trim().min(1).max(60).default("single sign-on"),
  ARGUS_OIDC_SCOPES: z.string().trim().default("openid email profile"),
  /** ID token / userinfo claim holding the user's role (a string or a list of strings). */
  ARGUS_OIDC_ROLE_CLAIM: z.string().trim().min(1).default("argus_role"),
  /**
   * Claim values to roles: "argus-admins=admin,developers=member". Owner and instance admin are granted
   * only through an entry here ("owner=owner" to honour a value named owner); member/viewer map to themselves.
   */
  ARGUS_OIDC_ROLE_MAP: checkedBy(parseRoleMap),
  /** Role when no claim value maps to one: member, viewer (default) or "none" (refuses the sign-in); never owner. */
  ARGUS_OIDC_DEFAULT_ROLE: z.enum(DEFAULT_ROLES).default("viewer"),
  /** Project that single sign-on users join (name); the oldest project when unset. */
  ARGUS_OIDC_PROJECT: optionalText,
  ARGUS_ADMIN_EMAIL: z.email().optional(),
  ARGUS_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  ARGUS_WORKERS: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
});


export type Env = Omit<z.infer<typeof EnvSchema>, "ARGUS_MAX_INFLIGHT_INGEST_PER_KEY"> & {
  ARGUS_MAX_INFLIGHT_INGEST_PER_KEY: number;
  databaseProvider: "sqlite" | "postgresql";
  /** Absolute SQLite file path, or the PostgreSQL connection string. */
  databaseTarget: string;
  publicUrl: string;
};

/** Values never echoed in configuration errors (they end up in logs). */
const SECRET_KEYS = /PASSWORD|SECRET|WEBHOOK_URL|HEADERS|DATABASE_URL|ENCRYPTION_KEY|SMTP_URL/;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join(".");
    const got = SECRET_KEYS.test(key) ? "(value hidden)" : `(got ${JSON.stringify(source[key] ?? "")})`;
    throw new ConfigError(`Invalid configuration: ${key} ${issue.message} ${got}`);
  }
  const env = result.data;
  const dataDir = path.resolve(env.ARGUS_DATA_DIR);
  const url = env.DATABASE_URL;
  const isPostgres = url !== undefined && /^postgres(ql)?:\/\//.test(url);
  if (isPostgres) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError("Invalid configuration: DATABASE_URL is not a valid URL (value hidden: it may hold a password)");
    }
  }
  const oidcParts = [env.ARGUS_OIDC_ISSUER, env.ARGUS_OIDC_CLIENT_ID, env.ARGUS_OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new ConfigError("Invalid configuration: single sign-on needs ARGUS_OIDC_ISSUER, ARGUS_OIDC_CLIENT_ID and ARGUS_OIDC_CLIENT_SECRET together");
  }
  if (env.ARGUS_OIDC_ISSUER) {
    const issuer = new URL(env.ARGUS_OIDC_ISSUER);
    if (issuer.protocol === "http:" && !["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname)) {
      throw new ConfigError("Invalid configuration: ARGUS_OIDC_ISSUER must be an https URL (http only for a provider on this machine)");
    }
  }
  if (!env.ARGUS_PASSWORD_LOGIN && !env.ARGUS_OIDC_ISSUER) {
    throw new ConfigError("Invalid configuration: ARGUS_PASSWORD_LOGIN=false needs single sign-on (ARGUS_OIDC_ISSUER…), or nobody could sign in");
  }
  const sqliteFile = url?.startsWith("file:") ? path.resolve(url.slice("file:".length)) : path.join(dataDir, "argus.db");
  return {
    ...env,
    // A key may use most slots when alone (one exporter is the common case) and still leaves a quarter to others.
    ARGUS_MAX_INFLIGHT_INGEST_PER_KEY: env.ARGUS_MAX_INFLIGHT_INGEST_PER_KEY ?? Math.max(1, Math.ceil((env.ARGUS_MAX_INFLIGHT_INGEST * 3) / 4)),
    ARGUS_DATA_DIR: dataDir,
    databaseProvider: isPostgres ? "postgresql" : "sqlite",
    databaseTarget: isPostgres ? url! : sqliteFile,
    publicUrl: (env.ARGUS_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
  };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
