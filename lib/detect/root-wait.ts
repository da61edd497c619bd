// How long a trace whose root has not arrived may stay quiet before it is taken as complete.
//
// A rootless trace is either a fragment of a larger one (its parent lives in a service that does not
// export here) or a long run whose root has not ended yet: an agent span ends last, and while a tool
// runs for minutes the BatchSpanProcessor has nothing to export. Taking the second kind as complete
// after one max wait splits the run in two: the first half is learned as a whole (truncated) chain and
// its spans are keyed without their agent. Which kind a rootless trace is, a service's own history
// tells: where most of its traces brought their root, a missing root is one that has not arrived yet,
// so the trace waits as long as spans wait for their agent span; elsewhere it waits one max wait.

export interface RootShare {
  /** Completed traces that brought their root, and those that never did (counts halved past COUNT_CAP). */
  rooted: number;
  rootless: number;
}

/** Traces a service needs behind it before its share is trusted. */
const MIN_TRACES = 20;
const COUNT_CAP = 1000;

/** True when most of the service's traces arrived with their root: a missing one is probably still running. */
export function expectsRoot(share: RootShare | undefined): boolean {
  if (!share || share.rooted + share.rootless < MIN_TRACES) return false;
  return share.rooted > share.rootless;
}

/** Quiet time after which a rootless trace is complete: `maxWaitMs`, or `longWaitMs` when its service expects a root. */
export function rootlessQuietMs(share: RootShare | undefined, maxWaitMs: number, longWaitMs: number): number {
  return expectsRoot(share) ? longWaitMs : maxWaitMs;
}

/** Counts one completed trace (a recency-weighted count: old history halves as new accumulates). */
export function learnRootShare(shares: Record<string, RootShare>, key: string, rooted: boolean): void {
  const share = (shares[key] ??= { rooted: 0, rootless: 0 });
  if (rooted) share.rooted += 1;
  else share.rootless += 1;
  if (share.rooted + share.rootless > COUNT_CAP) {
    share.rooted /= 2;
    share.rootless /= 2;
  }
}

/** A root arrived for a trace already completed without it: that trace counts as rooted after all. */
export function learnLateRoot(shares: Record<string, RootShare>, key: string): void {
  const share = shares[key];
  if (!share || share.rootless < 1) return;
  share.rootless -= 1;
  share.rooted += 1;
}
