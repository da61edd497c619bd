// A separate process recording audit entries concurrently and sealing them as the web process does (for
// audit-actions.int.test.ts): prints the ids it recorded.
// Usage: tsx tests/audit/append-child.ts <count> <projectId>   with DATABASE_URL set.
import { SYSTEM_CONTEXT } from "@/lib/audit/audit-actions";
import { recordAudit } from "@/lib/audit/audit-store";
import { flushSeals } from "@/lib/audit/seal-audit";
import { createPrismaClient } from "@/lib/db";
import { parseEnv } from "@/lib/env";

const [count, projectId] = [Number(process.argv[2]), process.argv[3]!];
const db = createPrismaClient(parseEnv({ DATABASE_URL: process.env.DATABASE_URL }));
// Connections opened and the client warmed up first: on a busy machine, opening a connection inside a
// transaction's start can take longer than Prisma's 2 s limit for it.
await Promise.all(Array.from({ length: 4 }, () => db.$transaction((tx) => tx.project.count())));
// Waves of 3 side by side, each followed by background sealing runs that contend with the other processes'.
const ids: string[] = [];
for (let wave = 0; wave < count; wave += 3) {
  const appends = Array.from({ length: Math.min(3, count - wave) }, (_, k) =>
    recordAudit(db, { ...SYSTEM_CONTEXT, ip: String(process.pid) }, { action: "anomaly.feedback", target: { type: "anomaly", id: `a${wave + k}` }, projectId, details: { i: wave + k } }),
  );
  ids.push(...(await Promise.all(appends)));
}
await flushSeals();
await db.$disconnect();
process.stdout.write(JSON.stringify(ids));
