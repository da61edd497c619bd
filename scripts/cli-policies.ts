// The `policies` commands of the CLI (scripts/cli.ts): test, apply, list, show, diff.
import { readFileSync } from "node:fs";
import os from "node:os";
import { cliContext } from "@/lib/audit/audit-actions";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { loadPolicy } from "@/lib/policies/load-policy";
import { unifiedDiff } from "@/lib/policies/diff-lines";
import { parseVersionRef } from "@/lib/policies/policy-api-schemas";
import { applyPolicy, diffVersions, getVersion, listPolicies } from "@/lib/policies/policy-store";
import { runExamples } from "@/lib/policies/run-examples";

export const POLICIES_USAGE = `  policies test FILE...                       run each policy file's examples (like opa test); exit 1 when one fails
  policies apply FILE --project NAME [--author TEXT]
                                              validate, run the examples, store a new version when the text changed
  policies list --project NAME                list policies (name, latest version, rules, applied at, by)
  policies show NAME --project NAME [--version N|latest]
                                              print a version's text
  policies diff NAME --project NAME [--from N] [--to N|latest] [--file FILE]
                                              unified diff between two versions (default: the latest and the one
                                              before), or from the latest to FILE`;

export interface PolicyOptions {
  project?: string;
  author?: string;
  version?: string;
  from?: string;
  to?: string;
  file?: string;
}

function readPolicyFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new AppError("bad_request", `cannot read ${file}: ${(error as Error).message}`);
  }
}

/** `policies test`: prints PASS/FAIL per example and a summary; returns the exit code. */
export function testPolicyFiles(files: string[], now = new Date()): number {
  if (files.length === 0) throw new AppError("bad_request", "policies test needs at least one FILE");
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const loaded = loadPolicy(readPolicyFile(file));
    if (!loaded.ok) {
      for (const p of loaded.problems) console.log(`${file}:${p.line ?? 1}:${p.column ?? 1}: ${p.path?.length ? `${p.path.join(".")}: ` : ""}${p.message}`);
      failed++;
      continue;
    }
    const results = runExamples(loaded.value.policy, now);
    if (results.length === 0) console.log(`${file}: no examples (add some under 'examples:')`);
    for (const r of results) {
      console.log(`${r.passed ? "PASS" : "FAIL"}: ${file}: ${r.name}`);
      for (const failure of r.failures) console.log(`  ${failure}`);
      if (r.passed) passed++;
      else failed++;
    }
  }
  console.log("-".repeat(40));
  console.log(failed ? `FAIL: ${failed} of ${passed + failed} failed` : `PASS: ${passed}/${passed}`);
  return failed ? 1 : 0;
}

async function projectId(db: Db, name: string | undefined, command: string): Promise<string> {
  if (!name) throw new AppError("bad_request", `policies ${command} needs --project NAME`);
  const project = await db.project.findUnique({ where: { name } });
  if (!project) throw new AppError("not_found", `No project named ${name}`);
  return project.id;
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new AppError("bad_request", what);
  return value;
}

export async function runPoliciesCommand(db: Db, command: string | undefined, args: string[], options: PolicyOptions): Promise<void> {
  const [arg] = args;
  if (command === "apply") {
    const file = required(arg, "policies apply needs the policy FILE");
    const source = readPolicyFile(file);
    const audit = cliContext(os.userInfo().username);
    const author = options.author ?? audit.actor.name!;
    const applied = await applyPolicy(db, { projectId: await projectId(db, options.project, "apply"), source, author, audit });
    const detail = `${applied.ruleCount} rules, ${applied.examplesPassed} examples pass`;
    console.error(applied.created ? `${applied.name}: applied version ${applied.version} (${detail})` : `${applied.name}: unchanged, still version ${applied.version}`);
    return;
  }
  const project = await projectId(db, options.project, command ?? "");
  if (command === "list") {
    for (const p of (await listPolicies(db, project)).policies) {
      console.log([p.name, `v${p.latestVersion}`, `${p.ruleCount} rules`, p.appliedAt.toISOString(), p.appliedBy ?? "-"].join("\t"));
    }
    return;
  }
  const name = required(arg, `policies ${command} needs the policy NAME`);
  if (command === "show") {
    const version = await getVersion(db, { projectId: project, name, version: parseVersionRef(options.version ?? "latest") });
    console.error(`${name} v${version.version} (latest v${version.latestVersion}), applied ${version.createdAt.toISOString()} by ${version.author}, sha256 ${version.sourceHash.slice(0, 12)}`);
    process.stdout.write(version.source.endsWith("\n") ? version.source : version.source + "\n");
    return;
  }
  if (command === "diff") {
    if (options.file) {
      const latest = await getVersion(db, { projectId: project, name, version: "latest" });
      process.stdout.write(unifiedDiff({ before: latest.source, after: readPolicyFile(options.file), beforeLabel: `${name} v${latest.version}`, afterLabel: options.file }));
      return;
    }
    const to = await getVersion(db, { projectId: project, name, version: parseVersionRef(options.to ?? "latest") });
    const from = options.from ? parseVersionRef(options.from) : Math.max(1, to.version - 1);
    process.stdout.write((await diffVersions(db, { projectId: project, name, from, to: to.version })).diff);
    return;
  }
  throw new AppError("bad_request", `unknown command 'policies ${command ?? ""}'; see --help`);
}
