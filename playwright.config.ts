// End-to-end tests in Debian's Chromium against the production build (`npm run build` first).
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { OIDC } from "./e2e/oidc-settings";

const port = Number(process.env.ARGUS_E2E_PORT ?? 3217);
const dataDir = path.join(os.tmpdir(), `argus-e2e-${port}`);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: path.join(os.tmpdir(), `argus-e2e-results-${port}`),
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    ...devices["Desktop Chrome"],
    viewport: { width: 1440, height: 900 },
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "node --import tsx e2e/serve.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 5000 },
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      PORT: String(port),
      ARGUS_DATA_DIR: dataDir,
      DATABASE_URL: `file:${path.join(dataDir, "argus.db")}`,
      // The same account as e2e/helpers.ts ADMIN.
      ARGUS_ADMIN_EMAIL: "admin@argus.test",
      ARGUS_ADMIN_PASSWORD: "e2e-password-123",
      ARGUS_TRACE_QUIET_MS: "500",
      ARGUS_LOG_LEVEL: "error",
      ARGUS_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // The webhook receiver of debug-an-anomaly.spec.ts listens on 127.0.0.1.
      ARGUS_OUTBOUND_ALLOW: "127.0.0.1",
      // No ARGUS_ENCRYPTION_KEY: the embedded setup generates its key file in the data directory.
      ARGUS_ENCRYPTION_KEY: "",
      // sso.spec.ts starts this provider.
      ARGUS_OIDC_ISSUER: OIDC.issuer,
      ARGUS_OIDC_CLIENT_ID: OIDC.clientId,
      ARGUS_OIDC_CLIENT_SECRET: OIDC.clientSecret,
      ARGUS_OIDC_NAME: OIDC.name,
      ARGUS_OIDC_ROLE_MAP: "developers=member,argus-admins=admin",
      ARGUS_OIDC_DEFAULT_ROLE: "none",
    },
  },
});
