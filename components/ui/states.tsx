"use client";
import type { ReactNode } from "react";
import { ApiError } from "../data/api";

export function Loading({ label = "Loading…", rows = 4 }: { label?: string; rows?: number }) {
  return (
    <div role="status" aria-label={label} className="stack" style={{ gap: 8, padding: "8px 0" }}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" style={{ height: 18, width: `${90 - i * 12}%` }} />
      ))}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state" data-state="empty">
      <div style={{ fontWeight: 600, color: "var(--text)" }}>{title}</div>
      {children && <div className="small" style={{ marginTop: 6 }}>{children}</div>}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const notBuilt = error instanceof ApiError && error.status === 404 && error.code !== "not_found";
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state error" role="alert" data-state="error">
      <div style={{ fontWeight: 600 }}>{notBuilt ? "This part of the API is not available on this server yet." : "Could not load this view."}</div>
      <div className="small" style={{ marginTop: 4 }}>{message}</div>
      {retry && (
        <button className="btn small" style={{ marginTop: 10 }} onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Loading, error and empty states around a query's data. */
export function QueryView<T>({
  query,
  isEmpty,
  empty,
  children,
  rows,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  rows?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading rows={rows} />;
  if (query.error && query.data === undefined) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (query.data === undefined) return <Loading rows={rows} />;
  if (isEmpty?.(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
