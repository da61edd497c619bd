// Conversations for the seed data: most runs are a turn of a session (two to eight turns, one user, one
// agent); a few are one-off calls with neither. Deterministic for a given random source.
import type { AgentProfile, RunSession } from "./seed-data";

const USERS = 60;
const OPEN_SESSIONS = 12;
const ONE_OFF_SHARE = 0.1;

interface OpenSession extends RunSession {
  profile: AgentProfile;
  turnsLeft: number;
}

export interface PlannedRun {
  profile: AgentProfile;
  session?: RunSession;
}

/** Returns the next run's agent and session: a turn of an open conversation, a new one, or a one-off call. */
export function sessionPlanner(profiles: readonly AgentProfile[], rand: () => number): () => PlannedRun {
  const open: OpenSession[] = [];
  let started = 0;
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  return () => {
    if (rand() < ONE_OFF_SHARE) return { profile: pick(profiles) };
    if (open.length === 0 || (open.length < OPEN_SESSIONS && rand() < 0.3)) {
      started++;
      const user = Math.floor(rand() * USERS) + 1;
      open.push({ sessionId: `sess-${started.toString(36).padStart(5, "0")}-${Math.floor(rand() * 1e6).toString(36)}`, userId: `user-${String(user).padStart(3, "0")}`, profile: pick(profiles), turnsLeft: 2 + Math.floor(rand() * 7) });
    }
    const index = Math.floor(rand() * open.length);
    const s = open[index]!;
    if (--s.turnsLeft === 0) open.splice(index, 1);
    return { profile: s.profile, session: { sessionId: s.sessionId, userId: s.userId } };
  };
}
