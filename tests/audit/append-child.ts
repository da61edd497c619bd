// A separate process appending audit entries concurrently (for audit-actions.int.test.ts): prints the seqs it got.
// Usage: tsx tests/audit/append-child.ts <count> <projectId>   with DATABASE_URL set.
import { SYSTEM_CONTEXT } from "@/lib/audit/audit-actions";
import { recordAudit } from "@/lib/audit/audit-store";
import { createPrismaClient } from "@/lib/db";
import { parseEnv } from "@/lib/env";

const [count, projectId] = [Number(process.argv[2]), process.argv[3]!];
const db = createPrismaClient(parseEnv({ DATABASE_URL: process.env.DATABASE_URL }));
// Waves of 5 side by side: within the pool's connections, so each waits on the chain's lock, not for a connection.
const seqs: number[] = [];
for (let wave = 0; wave < count; wave += 5) {
  const appends = Array.from({ length: Math.min(5, count - wave) }, (_, k) =>
    recordAudit(db, { ...SYSTEM_CONTEXT, ip: String(process.pid) }, { action: "anomaly.feedback", target: { type: "anomaly", id: `a${wave + k}` }, projectId, details: { i: wave + k } }),
  );
  seqs.push(...(await Promise.all(appends)));
}
await db.$disconnect();
process.stdout.write(JSON.stringify(seqs));
