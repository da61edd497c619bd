"use client";
// The one time range of the dashboard: kept in the URL (`range`), carried by links between pages, and
// remembered in localStorage so a page reached without it (the sidebar, a bookmark) shows the last one chosen.
import Link from "next/link";
import { useCallback, useEffect, useSyncExternalStore, type ComponentProps } from "react";
import { isRange, RANGES, withRange } from "./range-href";
import { useUrlState } from "./use-url-state";

export { RANGES } from "./range-href";

const STORAGE_KEY = "argus-range";
const listeners = new Set<() => void>();

function readRememberedRange(): string | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isRange(value) ? value : null;
  } catch {
    return null;
  }
}

function rememberRange(range: string): void {
  try {
    if (window.localStorage.getItem(STORAGE_KEY) === range) return;
    window.localStorage.setItem(STORAGE_KEY, range);
  } catch {
    // storage disabled: the URL still carries the range
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

const useRememberedRange = () => useSyncExternalStore(subscribe, readRememberedRange, () => null);

/** The range in the URL, else the one last chosen, else null. */
export function useCurrentRange(): string | null {
  const { get } = useUrlState();
  const fromUrl = get("range");
  const remembered = useRememberedRange();
  return isRange(fromUrl) ? fromUrl : remembered;
}

export function useRange(fallback = "24h"): string {
  return useCurrentRange() ?? fallback;
}

/** Remembers each range the URL names: mounted once, in the app shell. */
export function useRememberUrlRange(): void {
  const { get } = useUrlState();
  const fromUrl = get("range");
  useEffect(() => {
    if (isRange(fromUrl)) rememberRange(fromUrl);
  }, [fromUrl]);
}

/** Adds the current range to links to pages that show one. */
export function useRangeHref(): (href: string) => string {
  const range = useCurrentRange();
  return useCallback((href: string) => withRange(href, range), [range]);
}

/** A link that carries the current range. */
export function RangeLink({ href, ...props }: ComponentProps<typeof Link> & { href: string }) {
  const rangeHref = useRangeHref();
  return <Link {...props} href={rangeHref(href)} />;
}

export function TimeRangePicker({ fallback = "24h" }: { fallback?: string }) {
  const { set } = useUrlState();
  const range = useRange(fallback);
  const choose = (r: string) => {
    rememberRange(r);
    set({ range: r, cursor: null });
  };
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r} aria-pressed={r === range} onClick={() => choose(r)}>
          {r}
        </button>
      ))}
    </div>
  );
}
