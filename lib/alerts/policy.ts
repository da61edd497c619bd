// Knobs of the alert lifecycle, read from the environment once by the callers.
import type { Env } from "../env";

export interface AlertPolicy {
  /** An open or acknowledged alert with no new anomaly for this long resolves by itself. */
  resolveAfterMs: number;
  /** An open alert that keeps firing is notified again after this long (0 disables reminders). */
  renotifyMs: number;
}

export const DEFAULT_ALERT_POLICY: AlertPolicy = { resolveAfterMs: 30 * 60_000, renotifyMs: 4 * 60 * 60_000 };

export function alertPolicyFromEnv(env: Pick<Env, "ARGUS_ALERT_RESOLVE_AFTER_MS" | "ARGUS_ALERT_RENOTIFY_MS">): AlertPolicy {
  return { resolveAfterMs: env.ARGUS_ALERT_RESOLVE_AFTER_MS, renotifyMs: env.ARGUS_ALERT_RENOTIFY_MS };
}
