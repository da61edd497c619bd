// Acknowledge and resolve, as called by the API: validate the transition, write it, notify on resolve.
import { SYSTEM_CONTEXT, type AuditContext } from "../audit/audit-actions";
import { appendAudit, auditedTransaction } from "../audit/audit-store";
import type { Db } from "../db";
import { takeWriteLock } from "../db/write-lock";
import { AppError } from "../errors";
import { resolveAlert } from "./record-anomalies";
import { applyAlertAction, type AlertAction } from "./state-machine";

export async function changeAlertStatus(db: Db, projectId: string, id: string, action: AlertAction, now: Date, audit: AuditContext = SYSTEM_CONTEXT) {
  await auditedTransaction(db, async (tx) => {
    await takeWriteLock(tx);
    const alert = await tx.alert.findFirst({ where: { id, projectId } });
    if (!alert) throw new AppError("not_found", `No alert with id ${id} in this project`);
    const transition = applyAlertAction(alert.status, action);
    if (!transition.changed) return;
    if (action === "acknowledge") {
      const updated = await tx.alert.updateMany({ where: { id, status: alert.status }, data: { status: "acknowledged", acknowledgedAt: now } });
      if (updated.count === 0) throw new AppError("conflict", "The alert changed meanwhile; reload and try again");
    } else {
      const channels = await tx.notificationChannel.findMany({ where: { projectId, enabled: true }, select: { id: true, type: true, minSeverity: true, enabled: true } });
      if (!(await resolveAlert(tx, alert, channels, now, now))) throw new AppError("conflict", "The alert changed meanwhile; reload and try again");
    }
    await appendAudit(tx, audit, {
      action: action === "acknowledge" ? "alert.acknowledge" : "alert.resolve", target: { type: "alert", id }, projectId,
      details: { from: alert.status, title: alert.title },
    });
  });
  return db.alert.findUniqueOrThrow({ where: { id } });
}
