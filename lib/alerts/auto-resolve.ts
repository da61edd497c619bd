// Resolves alerts that went quiet for resolveAfterMs, one transaction per alert (with its outbox rows).
import type { Db } from "../db";
import { takeWriteLock } from "../db/write-lock";
import type { AlertPolicy } from "./policy";
import { resolveAlert } from "./record-anomalies";

const ALERT_STATE_SELECT = {
  id: true, projectId: true, status: true, severity: true, count: true, firstSeenAt: true, lastSeenAt: true, lastNotifiedAt: true, lastNotifiedSeverity: true,
} as const;

export async function autoResolveAlerts(db: Db, policy: AlertPolicy, now: Date, limit = 100): Promise<number> {
  const quietSince = new Date(now.getTime() - policy.resolveAfterMs);
  const due = await db.alert.findMany({
    where: { status: { in: ["open", "acknowledged"] }, lastSeenAt: { lte: quietSince } },
    orderBy: { lastSeenAt: "asc" },
    take: limit,
    select: ALERT_STATE_SELECT,
  });
  let resolved = 0;
  for (const alert of due) {
    const done = await db.$transaction(async (tx) => {
      await takeWriteLock(tx);
      const channels = await tx.notificationChannel.findMany({
        where: { projectId: alert.projectId, enabled: true },
        select: { id: true, type: true, minSeverity: true, enabled: true },
      });
      return resolveAlert(tx, alert, channels, now, now);
    });
    if (done) resolved++;
  }
  return resolved;
}
