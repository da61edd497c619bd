// Fingerprints group anomalies into alerts: same project, detector and entity → same alert.
import { createHash } from "node:crypto";

export function alertFingerprint(input: { projectId: string; detector: string; entity: string }): string {
  return createHash("sha256").update(`${input.projectId}\u0000${input.detector}\u0000${input.entity}`).digest("hex").slice(0, 32);
}

/**
 * Alert.activeKey is unique across the whole table, so it is scoped by project even when a
 * caller's fingerprint is not: two projects can never share an active alert.
 */
export function activeKeyFor(projectId: string, fingerprint: string): string {
  return `${projectId}:${fingerprint}`;
}
