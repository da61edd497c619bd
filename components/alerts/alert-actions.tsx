"use client";
import type { Alert } from "../data/types";
import { useApiMutation } from "../data/use-resources";

export function AlertActions({ alert }: { alert: Pick<Alert, "id" | "status"> }) {
  const invalidate = [["alerts"], ["alert"], ["overview"]] as const;
  const ack = useApiMutation<void>(() => ({ path: `/api/v1/alerts/${alert.id}/ack`, method: "POST" }), invalidate);
  const resolve = useApiMutation<void>(() => ({ path: `/api/v1/alerts/${alert.id}/resolve`, method: "POST" }), invalidate);
  const error = ack.error ?? resolve.error;
  return (
    <span className="row" onClick={(e) => e.stopPropagation()}>
      {alert.status === "open" && (
        <button className="btn small" disabled={ack.isPending} onClick={() => ack.mutate()}>
          Acknowledge
        </button>
      )}
      {alert.status !== "resolved" && (
        <button className="btn small" disabled={resolve.isPending} onClick={() => resolve.mutate()}>
          Resolve
        </button>
      )}
      {error && <span className="small" style={{ color: "var(--bad)" }}>{error.message}</span>}
    </span>
  );
}
