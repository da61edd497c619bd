// The `audit` commands of the CLI (scripts/cli.ts): verify the chain (stored, or an exported file) and export JSONL.
import { createWriteStream, readFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { canonicalJson, type ChainedEntry } from "@/lib/audit/audit-hash";
import { exportAudit, verifyStoredChain } from "@/lib/audit/audit-store";
import { parseSince } from "@/lib/audit/parse-since";
import { verifyChain, type VerifyResult } from "@/lib/audit/verify-chain";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export const AUDIT_USAGE = `  audit verify [--file FILE]                  walk the audit chain (or an exported JSONL file) and check every hash
                                              and link; exit 1 naming the first edited, deleted or reordered entry
  audit export --since 7d|ISO [--out FILE]    write the entries since then as JSONL (one entry with its hash per
                                              line) for a SIEM; stdout without --out`;

function report(result: VerifyResult, what: string): number {
  if (!result.ok) {
    console.error(`argus: ${what} broken at entry ${result.problem.seq} (${result.problem.kind}): ${result.problem.message}`);
    return 1;
  }
  const range = result.count ? `entries ${result.firstSeq}–${result.lastSeq}` : "no entries";
  console.log(`${what} intact: ${result.count} entries checked (${range}), last hash ${result.lastHash}`);
  return 0;
}

/** `audit verify --file`: an export checked on its own, from its first line's prevHash (no head to compare the end with). */
export function verifyExportFile(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new AppError("bad_request", `cannot read ${file}: ${(error as Error).message}`);
  }
  const entries: ChainedEntry[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as ChainedEntry);
    } catch {
      throw new AppError("bad_request", `${file}:${index + 1}: not a JSON line of an audit export`);
    }
  }
  const first = entries[0];
  const bounds = { anchorSeq: first ? first.seq - 1 : 0, anchorHash: first?.prevHash ?? "", headSeq: null, headHash: null };
  return report(verifyChain(bounds, entries), `audit export ${file}`);
}

async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(line)) await new Promise((resolve) => out.once("drain", resolve));
}

/** Runs `audit verify` or `audit export`; returns the exit code. */
export async function runAuditCommand(db: Db, provider: "sqlite" | "postgresql", command: string | undefined, options: { since?: string; out?: string }): Promise<number> {
  if (command === "verify") {
    const result = await verifyStoredChain(db, provider);
    const code = report(result, "audit chain");
    if (code === 0 && result.bounds.anchorSeq > 0) console.log(`entries up to ${result.bounds.anchorSeq} were pruned by the audit retention`);
    if (result.unsealed > 0) console.log(`${result.unsealed} entries committed during the check are not sealed yet`);
    return code;
  }
  if (command === "export") {
    if (!options.since) throw new AppError("bad_request", "audit export needs --since, e.g. --since 7d or --since 2026-12-01");
    const since = parseSince(options.since, new Date());
    if (!since) throw new AppError("bad_request", `--since ${options.since}: use a duration like 30m, 12h, 7d, or an ISO 8601 time`);
    const out: Writable = options.out ? createWriteStream(options.out, { mode: 0o600 }) : process.stdout;
    const count = await exportAudit(db, { since, write: (entry) => writeLine(out, canonicalJson(entry) + "\n") });
    if (options.out) await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    console.error(`exported ${count} audit entries since ${since.toISOString()}${options.out ? ` to ${options.out}` : ""}`);
    return 0;
  }
  throw new AppError("bad_request", `unknown command 'audit ${command ?? ""}'; see --help`);
}
