"use client";
// A list page's panel: loading, error and empty states, the rows, and the keyset pager under them. `now`
// moves with each refetch so relative times ("3m ago") stay true.
import { useEffect, useState, type ReactNode } from "react";
import { Pager } from "./pager";
import { QueryView } from "./states";

interface Page {
  items: unknown[];
  nextCursor: string | null;
}

export function PagedList<T extends Page>({
  query,
  noun,
  empty,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown; dataUpdatedAt: number };
  /** What the rows are, plural ("sessions"). */
  noun: string;
  empty: ReactNode;
  children: (data: T, now: number) => ReactNode;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [query.dataUpdatedAt]);
  return (
    <div className="panel">
      <QueryView query={query} rows={8} isEmpty={(d) => d.items.length === 0} empty={empty}>
        {(data) => (
          <>
            {children(data, now)}
            <Pager nextCursor={data.nextCursor}>
              <span className="muted small">
                {data.items.length} {noun} on this page
              </span>
            </Pager>
          </>
        )}
      </QueryView>
    </div>
  );
}
