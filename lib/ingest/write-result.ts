export interface WriteResult {
  /** Spans stored by this call. */
  inserted: number;
  /** Spans already stored (retries): skipped. */
  duplicates: number;
  /** Stored spans that inherited an agent from an ancestor in this batch. */
  agentUpdates: number;
}
