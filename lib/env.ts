// The only reader of process.env. Validated once; a bad value fails fast with one line.
import path from "node:path";
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.url({ protocol: /^https?$/ }).optional());

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
  ARGUS_MAX_SPANS_PER_REQUEST: positiveInt.default(50_000),
  ARGUS_MAX_ATTRIBUTES_PER_SPAN: positiveInt.default(128),
  ARGUS_MAX_EVENTS_PER_SPAN: z.coerce.number().int().min(0).default(128),
  ARGUS_MAX_LINKS_PER_SPAN: z.coerce.number().int().min(0).default(128),
  ARGUS_MAX_ATTRIBUTE_CHARS: z.coerce.number().int().min(64).default(128 * 1024),
  ARGUS_RETENTION_BATCH: positiveInt.default(1000),
  ARGUS_RETENTION_PAUSE_MS: z.coerce.number().int().min(0).default(200),
  ARGUS_RETENTION_INTERVAL_MS: positiveInt.default(10 * 60_000),
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
  ARGUS_ADMIN_EMAIL: z.email().optional(),
  ARGUS_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  ARGUS_WORKERS: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema> & {
  databaseProvider: "sqlite" | "postgresql";
  /** Absolute SQLite file path, or the PostgreSQL connection string. */
  databaseTarget: string;
  publicUrl: string;
};

/** Values never echoed in configuration errors (they end up in logs). */
const SECRET_KEYS = /PASSWORD|SECRET|WEBHOOK_URL|HEADERS|DATABASE_URL/;

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
  const sqliteFile = url?.startsWith("file:") ? path.resolve(url.slice("file:".length)) : path.join(dataDir, "argus.db");
  return {
    ...env,
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
