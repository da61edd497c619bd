"use client";
// Links from a session id or a user id, wherever one appears: a session opens as its conversation, a user as
// the list of their sessions (which links on to their traces).
import Link from "next/link";
import { RangeLink } from "../ui/time-range";

export const sessionHref = (sessionId: string) => `/sessions/${encodeURIComponent(sessionId)}`;
export const userSessionsHref = (userId: string) => `/sessions?userId=${encodeURIComponent(userId)}`;
/** The traces list filtered to a session or user; without a range, links take the current one (RangeLink). */
export const tracesOfHref = (filter: { sessionId: string } | { userId: string }, range?: string) =>
  `/traces?${new URLSearchParams({ ...filter, ...(range ? { range } : {}) }).toString()}`;

export function SessionLink({ sessionId, className = "id-link" }: { sessionId: string; className?: string }) {
  return (
    <Link href={sessionHref(sessionId)} className={`mono ${className}`.trim()} title={sessionId} data-session-link={sessionId}>
      {sessionId}
    </Link>
  );
}

export function UserLink({ userId, className = "id-link" }: { userId: string; className?: string }) {
  return (
    <RangeLink href={userSessionsHref(userId)} className={`mono ${className}`.trim()} title={`Sessions of ${userId}`} data-user-link={userId}>
      {userId}
    </RangeLink>
  );
}
