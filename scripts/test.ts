// `npm test`: type check, lint, production build, unit + integration tests (vitest), e2e tests
// (Playwright in Chromium); ends with one line "N passed, N failed" summing every suite.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const out = mkdtempSync(path.join(os.tmpdir(), "argus-test-"));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const skipE2e = process.argv.includes("--no-e2e");

let passed = 0;
let failed = 0;
let skipped = 0;

function step(name: string, command: string, args: string[], extraEnv: Record<string, string> = {}): number {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  console.log(`=== ${name}: exit ${result.status} in ${Math.round((Date.now() - started) / 1000)} s`);
  return result.status ?? 1;
}

function countVitest(file: string): void {
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}

interface PwSuite { specs?: { tests: { status: string }[] }[]; suites?: PwSuite[] }
function countPlaywright(file: string): void {
  const report = JSON.parse(readFileSync(file, "utf8")) as { suites: PwSuite[] };
  const walk = (suite: PwSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === "expected" || test.status === "flaky") passed++;
        else if (test.status === "skipped") skipped++;
        else failed++;
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
}

let setupFailures = 0;
if (step("typecheck", bin("tsc"), ["--noEmit"]) !== 0) setupFailures++;
if (step("lint", bin("eslint"), ["."]) !== 0) setupFailures++;
if (step("build", "npm", ["run", "build"]) !== 0) {
  console.error("build failed; server and e2e tests cannot run");
  process.exit(1);
}

const vitestJson = path.join(out, "vitest.json");
step("unit + integration", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
try {
  countVitest(vitestJson);
} catch {
  setupFailures++;
}

if (!skipE2e) {
  const pwJson = path.join(out, "playwright.json");
  step("e2e", bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  try {
    countPlaywright(pwJson);
  } catch {
    setupFailures++;
  }
}

failed += setupFailures;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
