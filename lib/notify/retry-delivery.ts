// Manual retry of a failed delivery: back to pending with a fresh retry budget.
import type { Db } from "../db";
import { AppError } from "../errors";

export async function retryDelivery(db: Db, projectId: string, deliveryId: string, now: Date) {
  const updated = await db.alertDelivery.updateMany({
    where: { id: deliveryId, projectId, status: "failed" },
    data: { status: "pending", attempts: 0, nextAttemptAt: now, leaseUntil: null },
  });
  if (updated.count === 0) {
    const row = await db.alertDelivery.findFirst({ where: { id: deliveryId, projectId }, select: { status: true } });
    if (!row) throw new AppError("not_found", `No delivery with id ${deliveryId} in this project`);
    throw new AppError("conflict", `Delivery ${deliveryId} is ${row.status}; only failed deliveries can be retried`);
  }
  return db.alertDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    select: { id: true, alertId: true, channelId: true, reason: true, status: true, attempts: true, nextAttemptAt: true },
  });
}
