// When to restart a crashed child: exponential backoff, reset once it has stayed up long enough.
export interface RestartPolicy {
  initialMs: number;
  maxMs: number;
  /** A child that ran at least this long is considered healthy again; its backoff resets. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialMs: 500, maxMs: 30_000, stableAfterMs: 60_000 };

export interface RestartState {
  consecutiveFailures: number;
}

export function nextRestartDelay(
  state: RestartState,
  uptimeMs: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): { delayMs: number; state: RestartState } {
  const failures = uptimeMs >= policy.stableAfterMs ? 1 : state.consecutiveFailures + 1;
  const delayMs = Math.min(policy.maxMs, policy.initialMs * 2 ** (failures - 1));
  return { delayMs, state: { consecutiveFailures: failures } };
}
