// Alert.activeKey is unique across the whole table, so it is scoped by project even when a caller's
// fingerprint is not: two projects can never share an active alert. (Fingerprints themselves are made
// by the detectors: lib/detect/types.ts fingerprintOf.)
export function activeKeyFor(projectId: string, fingerprint: string): string {
  return `${projectId}:${fingerprint}`;
}
