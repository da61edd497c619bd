// Walks the audit chain and names the first entry that breaks it. Pure: the store feeds entries in seq
// order (lib/audit/audit-store.ts), the tests feed tables. What each check catches:
//   edited     an entry's fields no longer hash to its stored hash (a changed actor, time, detail …)
//   missing    a gap in seq: entries were deleted
//   reordered  an entry stored under another entry's seq (seq values swapped), or after an entry with a
//              higher seq (an export whose lines were moved)
//   unlinked   an entry's prevHash is not the previous entry's hash (an entry replaced or re-hashed)
//   truncated  the last entry is not the chain head (entries at the end were deleted)
//   anchor     the first entry does not follow the retention anchor, or the anchor moved without the
//              audit.prune entry that every prune appends in the same transaction
import { chainedFieldsOf, hashEntry, type ChainedEntry } from "./audit-hash";

export type ChainProblemKind = "edited" | "missing" | "reordered" | "unlinked" | "truncated" | "anchor";

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The first bad entry's seq (for truncated: the head's seq, the entry that is gone). */
  seq: number;
  message: string;
}

/** Where the chain starts (the retention anchor) and ends (the head), as stored beside the entries. */
export interface ChainBounds {
  anchorSeq: number;
  anchorHash: string;
  /** null when checking a slice without its head (an export). */
  headSeq: number | null;
  headHash: string | null;
}

export type VerifyResult = { ok: true; count: number; firstSeq: number | null; lastSeq: number | null; lastHash: string } | { ok: false; count: number; problem: ChainProblem };

interface PruneRecord {
  seq: number;
  throughSeq: unknown;
  anchorHash: unknown;
}

export class ChainVerifier {
  private expectedSeq: number;
  private previousHash: string;
  private count = 0;
  private firstSeq: number | null = null;
  private problem: ChainProblem | null = null;
  private lastPrune: PruneRecord | null = null;

  constructor(private readonly bounds: ChainBounds) {
    this.expectedSeq = bounds.anchorSeq + 1;
    this.previousHash = bounds.anchorHash;
  }

  /** Checks the next entry; returns the first problem found so far (later entries are not looked at). */
  push(entry: ChainedEntry): ChainProblem | null {
    if (this.problem) return this.problem;
    this.problem = this.check(entry);
    if (this.problem) return this.problem;
    this.count++;
    this.firstSeq ??= entry.seq;
    this.expectedSeq = entry.seq + 1;
    this.previousHash = entry.hash;
    if (entry.action === "audit.prune") {
      const details = (entry.details ?? {}) as Record<string, unknown>;
      this.lastPrune = { seq: entry.seq, throughSeq: details.throughSeq, anchorHash: details.anchorHash };
    }
    return null;
  }

  private check(entry: ChainedEntry): ChainProblem | null {
    const { seq } = entry;
    if (seq < this.expectedSeq) return { kind: "reordered", seq, message: `entry ${seq} comes after entry ${this.expectedSeq - 1}: the entries are out of order` };
    if (hashEntry(chainedFieldsOf(entry)) !== entry.hash) {
      const original = originalSeq(entry);
      if (original !== null) return { kind: "reordered", seq, message: `entry ${seq} is entry ${original} moved out of place: the entries were reordered` };
      return { kind: "edited", seq, message: `entry ${seq} was edited: its fields do not match its hash` };
    }
    if (seq > this.expectedSeq) {
      const range = seq - 1 === this.expectedSeq ? `entry ${this.expectedSeq} is` : `entries ${this.expectedSeq}–${seq - 1} are`;
      if (this.count === 0 && this.bounds.anchorSeq > 0 && this.expectedSeq === this.bounds.anchorSeq + 1) {
        return { kind: "anchor", seq, message: `${range} missing after the retention anchor (entry ${this.bounds.anchorSeq}): deleted outside the audit retention` };
      }
      return { kind: "missing", seq, message: `${range} missing before entry ${seq}: deleted` };
    }
    if (entry.prevHash !== this.previousHash) {
      const after = seq - 1 === this.bounds.anchorSeq && this.count === 0 ? `the retention anchor (entry ${this.bounds.anchorSeq})` : `entry ${seq - 1}`;
      return { kind: "unlinked", seq, message: `entry ${seq} does not chain to ${after}: an entry was replaced or the chain rewritten` };
    }
    return null;
  }

  /** The result once every entry is pushed: the last entry must be the head, and the anchor must be the last prune's. */
  finish(): VerifyResult {
    if (this.problem) return { ok: false, count: this.count, problem: this.problem };
    const { headSeq, headHash, anchorSeq, anchorHash } = this.bounds;
    const lastSeq = this.expectedSeq - 1;
    if (headSeq !== null && (lastSeq !== headSeq || this.previousHash !== headHash)) {
      if (lastSeq < headSeq) {
        const range = headSeq === lastSeq + 1 ? `entry ${headSeq} is` : `entries ${lastSeq + 1}–${headSeq} are`;
        return this.fail({ kind: "truncated", seq: lastSeq + 1, message: `${range} missing at the end (the chain head is entry ${headSeq}): deleted` });
      }
      return this.fail({ kind: "unlinked", seq: lastSeq, message: `entry ${lastSeq} is not the chain head (entry ${headSeq}): the head was changed` });
    }
    if (headSeq !== null && anchorSeq > 0) {
      const prune = this.lastPrune;
      if (!prune || prune.throughSeq !== anchorSeq || prune.anchorHash !== anchorHash) {
        return this.fail({ kind: "anchor", seq: anchorSeq, message: `the retention anchor (entry ${anchorSeq}) was moved without an audit.prune entry recording it` });
      }
    }
    return { ok: true, count: this.count, firstSeq: this.firstSeq, lastSeq: this.count ? lastSeq : null, lastHash: this.previousHash };
  }

  private fail(problem: ChainProblem): VerifyResult {
    this.problem = problem;
    return { ok: false, count: this.count, problem };
  }
}

const REORDER_REACH = 64;

/** The seq an entry whose hash fails was hashed with, when it is within reach: it was moved, not edited. */
function originalSeq(entry: ChainedEntry): number | null {
  const fields = chainedFieldsOf(entry);
  for (let distance = 1; distance <= REORDER_REACH; distance++) {
    for (const seq of [entry.seq - distance, entry.seq + distance]) {
      if (seq > 0 && hashEntry({ ...fields, seq }) === entry.hash) return seq;
    }
  }
  return null;
}

export function verifyChain(bounds: ChainBounds, entries: Iterable<ChainedEntry>): VerifyResult {
  const verifier = new ChainVerifier(bounds);
  for (const entry of entries) if (verifier.push(entry)) break;
  return verifier.finish();
}
